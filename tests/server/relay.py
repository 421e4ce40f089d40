#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
# relay.py LISTEN TARGET LOG - a logging relay between two Unix sockets:
# every connection to LISTEN is forwarded to TARGET and every byte that
# crosses it, either way, is appended to LOG (tests/server/secrets.sh
# scans what a client and certdeskd told each other).  Runs until killed.
import os, socket, sys, threading

listen, target, log = sys.argv[1:4]
lock = threading.Lock()

def pump(src, dst, out):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            with lock:
                out.write(data)
                out.flush()
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

def serve(conn, out):
    up = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        up.connect(target)
    except OSError:
        conn.close()
        return
    t = threading.Thread(target=pump, args=(up, conn, out), daemon=True)
    t.start()
    pump(conn, up, out)
    t.join()
    conn.close()
    up.close()

out = open(log, "ab")
try:
    os.unlink(listen)
except FileNotFoundError:
    pass
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(listen)
srv.listen(64)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c, out), daemon=True).start()
