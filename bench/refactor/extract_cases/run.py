"""Runs pyloom's extract function on the tester's case files: each selection applied
to a copy, then the original and the edited file run and compared."""
import os, shutil, subprocess, sys, tempfile
T = "/work/wt/test-extract/t"
BIN = sys.argv[1]
for line in open(os.path.join(os.path.dirname(__file__), "cases.txt")):
    parts = line.split(maxsplit=3)
    f, a, b = parts[0], int(parts[1]), int(parts[2])
    extra = parts[3].strip() if len(parts) > 3 else ""
    src = open(f"{T}/{f}.py").read().split("\n")
    if extra.startswith("expr:"):
        e = extra[5:]
        col = src[a - 1].index(e)
        start, end = f"{a}:{col + 1}", f"{a}:{col + 1 + len(e)}"
        name = []
    else:
        start = f"{a}:{len(src[a-1]) - len(src[a-1].lstrip()) + 1}"
        end = f"{b}:{len(src[b-1]) + 1}"
        name = ["--name", extra] if extra else []
    d = tempfile.mkdtemp(dir="/tmp/xcases")
    shutil.copy(f"{T}/{f}.py", f"{d}/a.py")
    r = subprocess.run([BIN, "refactor", "extract", f"a.py:{start}", end, "--function", "--apply", *name], cwd=d, capture_output=True, text=True)
    label = f"{f}.py {start}-{end}{' ' + extra if extra else ''}"
    if r.returncode != 0:
        print(f"{label}: REFUSED {(r.stderr or r.stdout).strip().splitlines()[-1]}")
        continue
    run = lambda p: subprocess.run([sys.executable, p], capture_output=True, text=True, cwd=d)
    o1, o2 = run(f"{T}/{f}.py"), run(f"{d}/a.py")
    norm = lambda o: (o.returncode, o.stdout, o.stderr.splitlines()[-1:] if o.stderr else [])
    verdict = "SAME" if norm(o1) == norm(o2) else f"DIFF {norm(o1)} vs {norm(o2)}"
    call = [l.strip() for l in open(f"{d}/a.py") if "extracted" in l and "def " not in l][:1]
    print(f"{label}: {verdict} {call}")
