#!/usr/bin/env python3
# Diagnostic, not part of CI or of the benchmarks: a TCP relay for libchan's h2c tunnel that logs
# every HTTP/2 frame header each way (type, flags, stream, length, WINDOW_UPDATE increments,
# SETTINGS) and the SPDY/3 frames carried inside each HTTP/2 stream's DATA (control type and
# stream, DATA stream, FIN, length), one line per HTTP/2 frame, to the log file named below.
# Made to find where the bytes of a hung h2c byte-stream echo stop (see issue 14's note of
# 2026-12-08): point a client at the relay instead of the server.
#
#   python3 bench/h2-frame-relay.py LISTEN_PORT SERVER_PORT [LOG]     (127.0.0.1 both; default LOG /tmp/h2frames.log)
#   java ... h2c://127.0.0.1:LISTEN_PORT/libchan ...
#
# The client side's first 24 bytes (the HTTP/2 preface) are skipped; HTTP/2 padding is removed
# before the SPDY frames are parsed. Stop it by its pid.
import socket, threading, sys, struct, time
lport, tport = int(sys.argv[1]), int(sys.argv[2])
log = open(sys.argv[3] if len(sys.argv) > 3 else '/tmp/h2frames.log', 'w', buffering=1)
lock = threading.Lock()
def pump(src, dst, name, preface):
    buf = b''
    spdy = {}
    need_preface = preface
    try:
        while True:
            d = src.recv(65536)
            if not d:
                dst.shutdown(socket.SHUT_WR); break
            dst.sendall(d)
            buf += d
            if need_preface:
                if len(buf) < 24: continue
                buf = buf[24:]; need_preface = False
            while len(buf) >= 9:
                ln = int.from_bytes(buf[0:3], 'big'); typ = buf[3]; fl = buf[4]; sid = int.from_bytes(buf[5:9], 'big') & 0x7fffffff
                if len(buf) < 9 + ln: break
                extra = ''
                if typ == 8: extra = ' inc=%d' % (int.from_bytes(buf[9:13], 'big') & 0x7fffffff)
                if typ == 4 and not (fl & 1):
                    p = buf[9:9+ln]; extra = ' ' + ','.join('%d=%d' % (int.from_bytes(p[i:i+2],'big'), int.from_bytes(p[i+2:i+6],'big')) for i in range(0, len(p), 6))
                if typ == 0:
                    pay = buf[9:9+ln]
                    if fl & 8:
                        padl = pay[0]; pay = pay[1:len(pay)-padl]
                    sb = spdy.get(sid, b'') + pay
                    while len(sb) >= 8:
                        sl = int.from_bytes(sb[5:8], 'big')
                        if len(sb) < 8 + sl: break
                        if sb[0] & 0x80:
                            ct = int.from_bytes(sb[2:4], 'big'); sfl = sb[4]
                            extra += ' [spdy ctl type=%d fl=%d len=%d%s]' % (ct, sfl, sl, (' sid=%d' % (int.from_bytes(sb[8:12],'big') & 0x7fffffff)) if ct in (1,2,3,9) else '')
                            if ct == 9: extra += ' inc=%d' % (int.from_bytes(sb[12:16],'big') & 0x7fffffff)
                        else:
                            ssid = int.from_bytes(sb[0:4], 'big') & 0x7fffffff
                            extra += ' [spdy data sid=%d fl=%d len=%d]' % (ssid, sb[4], sl)
                        sb = sb[8+sl:]
                    spdy[sid] = sb
                with lock:
                    log.write('%.6f %s %s t=%d f=%d s=%d len=%d%s\n' % (time.time(), id(src) % 10000, name, typ, fl, sid, ln, extra))
                buf = buf[9+ln:]
    except Exception as e:
        with lock: log.write('%s closed %s\n' % (name, e))
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(('127.0.0.1', lport)); srv.listen(50)
while True:
    c, _ = srv.accept()
    s = socket.create_connection(('127.0.0.1', tport))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1); s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pump, args=(c, s, 'C>S', True), daemon=True).start()
    threading.Thread(target=pump, args=(s, c, 'S>C', False), daemon=True).start()
