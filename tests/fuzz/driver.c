/* SPDX-License-Identifier: ISC */
/*
 * driver.c - a main() for the fuzz harnesses when they are not linked with
 * libFuzzer: replays every file of the corpus folders, then mutates corpus
 * entries with a seeded PRNG until the time budget runs out, and reports
 * in TAP.  A crash or a failed invariant (abort) kills the process, which
 * is the test failure; the input that did it is saved first as
 * ./fuzz-crash-<PID> so it can be replayed and added to the corpus.
 *
 *	fuzz-X [-t SECONDS] [-s SEED] CORPUSDIR...
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Largest input the mutator makes. */
#define INPUT_MAX 8192
/* Largest corpus file read. */
#define MAX_FILE (1024 * 1024)

struct input {
	uint8_t *p;
	size_t len;
};

struct corpus {
	struct input *v;
	size_t n, cap;
};

/* The input being run, for the crash handler. */
static const uint8_t *cur_data;
static size_t cur_len;
static uint64_t rng_state;

static const char *const tokens[] = {
	"(", ")", "\\", "[[", "]]", "\n", "\xff", "=", "[", "]", ",", "\"",
	"|", "#", "---", "\r\n", "%", "/", "..", ".", ":", "\t", " ",
	"[[Password]]", "[[People.FullName]]", "[[DateTime.yyyy]]",
	"[[Files]]", "\xc2\x80", "\xe2\x82\xac", "\xf4\x90\x80\x80",
	"\xed\xa0\x80", "CON", "[policy.x]", "[profile.x]", "\"\"",
};

static uint64_t
rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
below(size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd() % n);
}

static void
on_crash(int sig)
{
	char name[64];
	int fd, n;

	n = snprintf(name, sizeof(name), "fuzz-crash-%ld", (long)getpid());
	if (n > 0 && (fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
		if (cur_data != NULL && write(fd, cur_data, cur_len) < 0)
			n = 0;
		close(fd);
		(void)!write(2, "# crashing input saved as ", 26);
		(void)!write(2, name, strlen(name));
		(void)!write(2, "\n", 1);
	}
	(void)!write(1, "Bail out! crash\n", 16);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
corpus_add(struct corpus *c, const uint8_t *p, size_t len)
{
	struct input *nv;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		if ((nv = realloc(c->v, c->cap * sizeof(*nv))) == NULL)
			return -1;
		c->v = nv;
	}
	if ((c->v[c->n].p = malloc(len ? len : 1)) == NULL)
		return -1;
	memcpy(c->v[c->n].p, p, len);
	c->v[c->n++].len = len;
	return 0;
}

static int
read_one(struct corpus *c, const char *path)
{
	uint8_t *buf;
	ssize_t n;
	size_t len = 0;
	int fd, r = -1;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	if ((buf = malloc(MAX_FILE)) == NULL)
		goto out;
	while (len < MAX_FILE && (n = read(fd, buf + len, MAX_FILE - len)) > 0)
		len += (size_t)n;
	r = corpus_add(c, buf, len);
out:
	free(buf);
	close(fd);
	return r;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file of dir, in name order. */
static int
read_dir(struct corpus *c, const char *dir)
{
	struct dirent **ents = NULL;
	char path[4096];
	struct stat st;
	int i, n, r = 0;

	if ((n = scandir(dir, &ents, NULL, by_name)) < 0) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (r == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			r = read_one(c, path);
		free(ents[i]);
	}
	free(ents);
	return r;
}

static void
run(const uint8_t *p, size_t len)
{
	cur_data = p;
	cur_len = len;
	LLVMFuzzerTestOneInput(p, len);
	cur_data = NULL;
}

/* Insert n bytes of s at pos (buf has room for INPUT_MAX). */
static size_t
insert(uint8_t *buf, size_t len, size_t pos, const void *s, size_t n)
{
	if (len + n > INPUT_MAX)
		return len;
	memmove(buf + pos + n, buf + pos, len - pos);
	memcpy(buf + pos, s, n);
	return len + n;
}

/* One mutation of buf (len bytes); returns the new length. */
static size_t
mutate_once(uint8_t *buf, size_t len, const struct corpus *c)
{
	const struct input *o;
	const char *t;
	size_t pos = below(len + 1), n, from;
	uint8_t b;

	switch (rnd() % 7) {
	case 0:		/* bit flip */
		if (len > 0)
			buf[below(len)] ^= (uint8_t)(1u << (rnd() % 8));
		return len;
	case 1:		/* random byte inserted */
		b = (uint8_t)rnd();
		return insert(buf, len, pos, &b, 1);
	case 2:		/* bytes deleted */
		if (len == 0)
			return 0;
		pos = below(len);
		n = 1 + below(len - pos < 16 ? len - pos : 16);
		memmove(buf + pos, buf + pos + n, len - pos - n);
		return len - n;
	case 3:		/* an interesting token inserted */
		t = tokens[below(sizeof(tokens) / sizeof(tokens[0]))];
		return insert(buf, len, pos, t, strlen(t));
	case 4:		/* interesting byte overwritten */
		if (len > 0)
			buf[below(len)] = (uint8_t)"()\\[]\n\xff\x00=,\"|#"[below(13)];
		return len;
	case 5:		/* splice: a piece of another corpus entry */
		o = &c->v[below(c->n)];
		if (o->len == 0)
			return len;
		from = below(o->len);
		n = 1 + below(o->len - from);
		return insert(buf, len, pos, o->p + from, n);
	default:	/* a piece of the input duplicated */
		if (len == 0)
			return 0;
		from = below(len);
		n = 1 + below(len - from < 64 ? len - from : 64);
		{
			uint8_t tmp[64];

			memcpy(tmp, buf + from, n);
			return insert(buf, len, pos, tmp, n);
		}
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-t SECONDS] [-s SEED] CORPUSDIR...\n",
	    prog);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct corpus c = { NULL, 0, 0 };
	double budget = 2, start, spent;
	unsigned long long seed = (unsigned long long)time(NULL);
	unsigned long execs = 0;
	uint8_t *buf = NULL;
	size_t i, len;
	int opt, k, rc = 1;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	while ((opt = getopt(argc, argv, "t:s:")) != -1) {
		if (opt == 't')
			budget = atof(optarg);
		else if (opt == 's')
			seed = strtoull(optarg, NULL, 0);
		else
			usage(argv[0]);
	}
	if (optind >= argc)
		usage(argv[0]);
	signal(SIGABRT, on_crash);
	signal(SIGSEGV, on_crash);
	signal(SIGBUS, on_crash);
	signal(SIGFPE, on_crash);
	for (k = optind; k < argc; k++)
		if (read_dir(&c, argv[k]) != 0)
			goto out;
	printf("1..2\n# seed %llu\n", seed);
	fflush(stdout);
	rng_state = seed;
	for (i = 0; i < c.n; i++)
		run(c.v[i].p, c.v[i].len);
	printf("ok 1 - corpus replayed (%zu inputs)\n", c.n);
	fflush(stdout);
	if (c.n == 0 && corpus_add(&c, (const uint8_t *)"", 0) != 0)
		goto out;
	if ((buf = malloc(INPUT_MAX)) == NULL)
		goto out;
	start = now_s();
	do {
		i = below(c.n);
		len = c.v[i].len < INPUT_MAX ? c.v[i].len : INPUT_MAX;
		memcpy(buf, c.v[i].p, len);
		for (k = 1 + (int)below(8); k > 0; k--)
			len = mutate_once(buf, len, &c);
		run(buf, len);
		execs++;
		spent = now_s() - start;
	} while (spent < budget);
	printf("ok 2 - %lu mutated inputs in %.1f s\n", execs, spent);
	rc = 0;
out:
	for (i = 0; i < c.n; i++)
		free(c.v[i].p);
	free(c.v);
	free(buf);
	return rc;
}
