#!/usr/bin/env python3
# openapi.py - doc/openapi.json is well-formed OpenAPI 3 and documents
# exactly the routes certdeskd serves (certdeskd --list-routes on stdin).
# Prints TAP.
import json, re, sys

n = 0
failed = False
def check(cond, what):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, what))
    failed = failed or not cond

doc = json.load(open(sys.argv[1], encoding="utf-8"))
check(str(doc.get("openapi", "")).startswith("3."), "an OpenAPI 3 document")
check("title" in doc.get("info", {}) and "version" in doc["info"],
      "info has title and version")
served = {tuple(l.split(" ", 1)) for l in sys.stdin.read().split("\n") if l}
documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
check(served == documented, "the documented paths are the served ones "
      "(missing: %s; extra: %s)" % (sorted(served - documented),
                                     sorted(documented - served)))
refs = set(re.findall(r'"\$ref": *"#/components/(\w+)/(\w+)"', json.dumps(doc)))
bad = [r for r in refs if r[1] not in doc["components"].get(r[0], {})]
check(not bad, "every $ref resolves %s" % bad)
ok_ops = all("responses" in op and "default" in op["responses"]
             for ops in doc["paths"].values() for op in ops.values())
check(ok_ops, "every operation documents its responses and the error shape")
params_ok = all(("{id}" not in p or any(x["name"] == "id" and x["in"] == "path"
                for x in op.get("parameters", [])))
                for p, ops in doc["paths"].items() for op in ops.values())
check(params_ok, "every {id} path parameter is declared")
codes = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"]
check("denied" in codes and "notfound" in codes, "the error codes are listed")
print("1..%d" % n)
sys.exit(1 if failed else 0)
