"""The Markdown section of bench/proxy-vs-nginx.sh from its runs (TSV) and settings (environment)."""
import csv
import os
import statistics as st

E = os.environ
C = E["CONNECTIONS"]
rows = list(csv.DictReader(open(E["TSV"]), delimiter="\t"))


def runs(phase, proxy, c):
    return {r["round"]: r for r in rows if r["phase"] == phase and r["proxy"] == proxy and r["connections"] == str(c)}


def per_core(r):
    return float(r["requests"]) / float(r["cpu_s"]) if float(r["cpu_s"]) > 0 else float("nan")


def med(xs):
    return st.median(xs) if xs else float("nan")


def rng(xs):
    return f"{min(xs):.2f}–{max(xs):.2f}" if xs else "–"


def col(rs, key):
    return med([float(r[key]) for r in rs.values()])


opts = E.get("GATEHOUSE_JAVA_OPTS", "")
label = E.get("LABEL", "")
out = ["## Proxy vs nginx (wrk)", ""]
out.append(f"Written by `bench/proxy-vs-nginx.sh` on {E['NOW']}{' (' + label + ')' if label else ''}. Loopback only: wrk "
           f"(1 thread) → proxy → 3 nginx backends (1 worker, `return 200`, 2 bytes) weighted 5/3/2. Gatehouse: the packaged "
           f"jar with its defaults (`java {opts + ' ' if opts else ''}-jar`, {E['JAVA_VERSION']}; proxy instances = the "
           f"{E['NPROC']} CPUs), published through the admin API; its access log to "
           f"{'a file (`gatehouse.proxy.access-log-file`)' if E['GATEHOUSE_LOG_TO'] == 'file' else 'stdout redirected to a file'} "
           f"in the log-on phase. nginx {E['NGINX_VERSION']}: `worker_processes auto` ({E['NPROC']}), the same weighted upstream "
           f"with keep-alive and X-Forwarded-* / X-Request-Id headers; `access_log` to a file (no `buffer=`) in the log-on "
           f"phase. {E['ROUNDS']} interleaved rounds per phase (Gatehouse, nginx at {C} connections for {E['DURATION']} s; "
           f"Gatehouse, nginx at 1 connection for {E['ONE_DURATION']} s) after {E['WARMUP']} s of warm-up each. CPU: utime+stime "
           f"from /proc of the JVM, and of nginx's master and workers. Machine: {E['CPU_MODEL']}, {E['NPROC']} CPUs shared by "
           f"wrk, both proxies and the backends; load average before: {E['START_LOAD']}, after: {E['END_LOAD']}.")
if E.get("LOG_BYTES"):
    out.append(f"Access logs written in the log-on phase: {E['LOG_BYTES']}.")
out.append("")
phases = E["PHASES"].split()
for phase in phases:
    g, n, g1, n1 = runs(phase, "gatehouse", C), runs(phase, "nginx", C), runs(phase, "gatehouse", 1), runs(phase, "nginx", 1)
    out.append(f"Access logs **{phase}** on both:")
    out.append("")
    out.append("| round | load | Gatehouse req/s | nginx req/s | ratio | Gatehouse req/s per core | nginx req/s per core "
               "| CPU/request G ÷ n | p99 ms G / n (32 c) | p50 ms G / n (1 c) | p99 ms G / n (1 c) |")
    out.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    ratios, cpur = [], []
    for k in sorted(g, key=int):
        a, b, a1, b1 = g[k], n[k], g1.get(k), n1.get(k)
        ratio = float(a["rps"]) / float(b["rps"])
        cr = per_core(b) / per_core(a)
        ratios.append(ratio)
        cpur.append(cr)
        one50 = f'{a1["p50_ms"]} / {b1["p50_ms"]}' if a1 and b1 else "–"
        one99 = f'{a1["p99_ms"]} / {b1["p99_ms"]}' if a1 and b1 else "–"
        out.append(f'| {k} | {a["load1"]} | {a["rps"]} | {b["rps"]} | {ratio:.2f} | {per_core(a):.0f} | {per_core(b):.0f} '
                   f'| {cr:.2f} | {a["p99_ms"]} / {b["p99_ms"]} | {one50} | {one99} |')
    out.append(f'| **median** | | **{col(g, "rps"):.0f}** | **{col(n, "rps"):.0f}** | **{med(ratios):.2f}** '
               f'| **{med([per_core(r) for r in g.values()]):.0f}** | **{med([per_core(r) for r in n.values()]):.0f}** '
               f'| **{med(cpur):.2f}** | **{col(g, "p99_ms"):.2f} / {col(n, "p99_ms"):.2f}** '
               f'| **{col(g1, "p50_ms"):.3f} / {col(n1, "p50_ms"):.3f}** | **{col(g1, "p99_ms"):.3f} / {col(n1, "p99_ms"):.3f}** |')
    errs = sorted({r["errors"].strip() for rs in (g, n, g1, n1) for r in rs.values() if r["errors"] != "none"})
    out.append("")
    out.append(f"Per-round throughput ratio Gatehouse / nginx: {rng(ratios)} (median {med(ratios):.2f}); CPU per request "
               f"Gatehouse ÷ nginx: {rng(cpur)} (median {med(cpur):.2f}). Errors: {'; '.join(errs) if errs else 'none'}.")
    out.append("")
if "off" in phases and "on" in phases:
    for proxy, name in (("gatehouse", "Gatehouse"), ("nginx", "nginx")):
        on, off = runs("on", proxy, C), runs("off", proxy, C)
        t = 1 - col(on, "rps") / col(off, "rps")
        cpu = lambda rs: med([float(r["cpu_s"]) / float(r["requests"]) for r in rs.values()])
        c = cpu(on) / cpu(off) - 1
        out.append(f"- Access log cost, {name}: {round(t * 100):d} % of throughput (medians, on vs off), {round(c * 100):+d} % CPU per "
                   f"request.")
print("\n".join(out).rstrip())
