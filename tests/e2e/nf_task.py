#!/usr/bin/env python3
"""Run the processes of a Nextflow (DSL2) file without Nextflow.

Nextflow cannot be installed here, so tests/e2e/nextflow.sh checks the module
files through this stand-in.  It reads a process's `input:`, `output:`, `when:`
and `script:`/`stub:` sections, evaluates the Groovy before the script string
and the string itself as Nextflow would (a small, strict subset of Groovy:
anything outside it is an error, never guessed), stages the inputs as symlinks
in a work directory, runs the script with bash -euo pipefail and collects the
declared outputs (a missing non-optional output is an error, as in Nextflow).

  nf_task.py run --nf FILE --process NAME --workdir DIR [--stub] [--cpus N]
                 [--ext KEY=VALUE]... --in NAME=JSON... [--print EMIT]
  nf_task.py check-meta --nf main.nf --meta meta.yml
  nf_task.py check-versions versions.yml PROCESS TOOL=VERSION...
  nf_task.py check-includes main.nf

`--in NAME=JSON`: a path input takes a file name or a list of them ([] = none),
a val input any JSON value.  `run` prints the outputs as JSON, or with
`--print EMIT` the files of that output channel, one per line.
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import textwrap


class NfError(Exception):
    pass


# ---------------------------------------------------------------- values


class Staged:
    """A path input as the script sees it: its staged file name(s); several
    files join with blanks (Nextflow's BlankSeparatedList), none is falsy."""

    def __init__(self, names):
        self.names = list(names)

    def __bool__(self):
        return bool(self.names)

    def __str__(self):
        return " ".join(self.names)


class Task:
    def __init__(self, process, cpus, ext):
        self.attrs = {"process": process, "cpus": cpus, "ext": dict(ext), "attempt": 1}


def groovy_str(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(groovy_str(x) for x in v) + "]"
    if isinstance(v, dict):
        return "[" + ", ".join(f"{k}:{groovy_str(x)}" for k, x in v.items()) + "]" if v else "[:]"
    if isinstance(v, Task):
        raise NfError("a task object in a string")
    return str(v)


def truthy(v):
    if isinstance(v, Staged):
        return bool(v)
    return bool(v) if v is not None else False


def get_property(obj, name):
    if isinstance(obj, dict):  # Groovy maps: absent key = null
        return obj.get(name)
    if isinstance(obj, Task):
        if name not in obj.attrs:
            raise NfError(f"task.{name} is not modelled")
        return obj.attrs[name]
    if isinstance(obj, Staged) and len(obj.names) == 1:
        n = obj.names[0]
        props = {"name": n, "simpleName": n.split(".")[0], "baseName": n.rsplit(".", 1)[0]}
        if name in props:
            return props[name]
    what = "null" if obj is None else type(obj).__name__
    raise NfError(f"no property '{name}' on {what} {groovy_str(obj)!r}")


# ---------------------------------------------------------------- Groovy subset

TOKEN = re.compile(
    r"""\s*(?:(?P<str1>'(?:[^'\\]|\\.)*')|(?P<str2>"(?:[^"\\]|\\.)*")|(?P<num>\d+)
    |(?P<op>\?:|==|!=|&&|\|\||[?:()!+\[\].,])|(?P<id>[A-Za-z_]\w*))""",
    re.X,
)


def tokenize(src):
    toks, i = [], 0
    while i < len(src):
        if src[i:].strip() == "":
            break
        m = TOKEN.match(src, i)
        if not m or m.end() == i:
            raise NfError(f"cannot read Groovy at: {src[i:]!r}")
        kind = m.lastgroup
        toks.append((kind, m.group(kind)))
        i = m.end()
    return toks


class Expr:
    """Recursive descent over: literals ('..', "..${}..", numbers, null,
    true, false, []), names with .property chains, ( ), !, +, ==, !=, &&, ||,
    ?: and ? :.  No method calls, closures or assignments inside."""

    def __init__(self, src, scope):
        self.toks = tokenize(src)
        self.i = 0
        self.scope = scope
        self.src = src

    def peek(self, k=0):
        return self.toks[self.i + k] if self.i + k < len(self.toks) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise NfError(f"expected {value or 'more'} in {self.src!r}")
        self.i += 1
        return tok

    def run(self):
        v = self.ternary()
        if self.i != len(self.toks):
            raise NfError(f"unsupported Groovy after {self.peek()[1]!r} in {self.src!r}")
        return v

    def ternary(self):
        cond = self.or_()
        if self.peek()[1] == "?:":
            self.take()
            alt = self.ternary()
            return cond if truthy(cond) else alt
        if self.peek()[1] == "?":
            self.take()
            yes = self.ternary()
            self.take(":")
            no = self.ternary()
            return yes if truthy(cond) else no
        return cond

    def or_(self):
        v = self.and_()
        while self.peek()[1] == "||":
            self.take()
            w = self.and_()
            v = truthy(v) or truthy(w)
        return v

    def and_(self):
        v = self.not_()
        while self.peek()[1] == "&&":
            self.take()
            w = self.not_()
            v = truthy(v) and truthy(w)
        return v

    def not_(self):
        if self.peek()[1] == "!":
            self.take()
            return not truthy(self.not_())
        return self.cmp()

    def cmp(self):
        v = self.add()
        if self.peek()[1] in ("==", "!="):
            op = self.take()[1]
            w = self.add()
            eq = (groovy_str(v) == groovy_str(w)) if None not in (v, w) else (v is w)
            return eq if op == "==" else not eq
        return v

    def add(self):
        v = self.primary()
        while self.peek()[1] == "+":
            self.take()
            w = self.primary()
            if not isinstance(v, str):
                raise NfError(f"'+' on a non-string in {self.src!r}")
            v = v + groovy_str(w)
        return v

    def primary(self):
        kind, text = self.take()
        if kind == "str1":
            return unescape(text[1:-1], interpolate=False, scope=self.scope)
        if kind == "str2":
            return unescape(text[1:-1], interpolate=True, scope=self.scope)
        if kind == "num":
            return int(text)
        if text == "(":
            v = self.ternary()
            self.take(")")
            return v
        if text == "[":
            self.take("]")
            return []
        if kind == "id":
            if text in ("null", "true", "false"):
                return {"null": None, "true": True, "false": False}[text]
            if text not in self.scope:
                raise NfError(f"unknown name '{text}' in {self.src!r}")
            v = self.scope[text]
            while self.peek()[1] == ".":
                self.take()
                v = get_property(v, self.take()[1])
            if self.peek()[1] == "(":
                raise NfError(f"method calls are not modelled: {self.src!r}")
            return v
        raise NfError(f"unexpected {text!r} in {self.src!r}")


ESCAPES = {"\\": "\\", "$": "$", '"': '"', "'": "'", "n": "\n", "t": "\t"}


def unescape(body, interpolate, scope):
    """A Groovy string body: escapes, line continuations and (for double
    quotes) ${expr} and $name.chain interpolation; a bare `$` is an error, as
    in Groovy."""
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1 : i + 2]
            if nxt == "\n":  # line continuation
                i += 2
                continue
            if nxt not in ESCAPES:
                raise NfError(f"invalid escape \\{nxt} in a Groovy string")
            out.append(ESCAPES[nxt])
            i += 2
        elif c == "$" and interpolate:
            if body[i + 1 : i + 2] == "{":
                j, depth, quote = i + 2, 1, None
                while j < len(body):
                    ch = body[j]
                    if quote:
                        if ch == "\\":
                            j += 1
                        elif ch == quote:
                            quote = None
                    elif ch in "'\"":
                        quote = ch
                    elif ch == "{":
                        depth += 1
                    elif ch == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    j += 1
                else:
                    raise NfError("unclosed ${ in a Groovy string")
                out.append(groovy_str(Expr(body[i + 2 : j], scope).run()))
                i = j + 1
            else:
                m = re.match(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*", body[i + 1 :])
                if not m:
                    raise NfError(f"'$' not followed by a name or {{ (write \\$): ...{body[i:i + 30]!r}")
                out.append(groovy_str(Expr(m.group(0), scope).run()))
                i += 1 + m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


# ---------------------------------------------------------------- .nf files

SECTION = re.compile(r"^\s+(input|output|when|script|shell|exec|stub):\s*$")


def parse_nf(path):
    """{process name: {"directives"|"input"|"output"|"when"|"script"|"stub": [lines]}}"""
    lines = open(path).read().split("\n")
    procs, i = {}, 0
    while i < len(lines):
        m = re.match(r"^process\s+([A-Z0-9_]+)\s*\{\s*$", lines[i])
        if not m:
            i += 1
            continue
        name, sect, body = m.group(1), "directives", {"directives": []}
        i += 1
        while i < len(lines) and lines[i] != "}":
            s = SECTION.match(lines[i])
            if s:
                sect = s.group(1)
                if sect in body:
                    raise NfError(f"{path}: {name}: two '{sect}:' sections")
                body[sect] = []
            else:
                body[sect].append(lines[i])
            i += 1
        if i == len(lines):
            raise NfError(f"{path}: process {name} has no closing '}}' at the start of a line")
        procs[name] = body
        i += 1
    return procs


def code_lines(lines):
    return [l.strip() for l in lines if l.strip() and not l.strip().startswith("//")]


def split_top(s):
    """Split at commas outside quotes and brackets."""
    parts, depth, quote, cur = [], 0, None, ""
    for ch in s:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
            continue
        cur += ch
    parts.append(cur.strip())
    return parts


def parse_element(s):
    """`val(meta)`, `path(vcf)`, `path("x")`, `path "x"` -> (kind, name or raw string)"""
    m = re.match(r"""^(val|path|env|stdin)\s*(?:\(\s*(.*?)\s*\)|\s+(.*?))$""", s)
    if not m:
        raise NfError(f"cannot read channel element {s!r}")
    arg = (m.group(2) if m.group(2) is not None else m.group(3)).strip()
    if arg.startswith('"') or arg.startswith("'"):
        return (m.group(1), arg)
    if not re.match(r"^[A-Za-z_]\w*$", arg):
        raise NfError(f"unsupported channel element {s!r}")
    return (m.group(1), arg)


def parse_channel(line):
    """One input/output line -> (elements, options)"""
    parts = split_top(line)
    head, opts = parts[0], {}
    elems = []
    if head.startswith("tuple "):
        elems.append(parse_element(head[len("tuple ") :].strip()))
        rest = parts[1:]
        while rest and ":" not in rest[0].split("(")[0]:
            elems.append(parse_element(rest.pop(0)))
    else:
        elems.append(parse_element(head))
        rest = parts[1:]
    for p in rest:
        k, _, v = p.partition(":")
        opts[k.strip()] = v.strip()
    return elems, opts


def inputs_of(proc):
    return [parse_channel(l)[0] for l in code_lines(proc.get("input", []))]


def outputs_of(proc):
    outs = []
    for l in code_lines(proc.get("output", [])):
        elems, opts = parse_channel(l)
        if "emit" not in opts:
            raise NfError(f"output without emit: {l!r}")
        outs.append({"emit": opts["emit"], "elements": elems, "optional": opts.get("optional") == "true"})
    return outs


def split_script(lines, what):
    """(Groovy statements before the script string, the string's body)"""
    pre, body, i = [], None, 0
    while i < len(lines):
        s = lines[i].strip()
        if s.startswith('"""'):
            if s != '"""':
                raise NfError(f"{what}: put the opening \"\"\" on a line of its own")
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == '"""'), None)
            if end is None:
                raise NfError(f"{what}: no closing \"\"\"")
            body = "\n".join(lines[i + 1 : end])
            if any(l.strip() and not l.strip().startswith("//") for l in lines[end + 1 :]):
                raise NfError(f"{what}: code after the script string")
            break
        if s and not s.startswith("//"):
            pre.append(s)
        i += 1
    if body is None:
        raise NfError(f"{what}: no script string")
    return pre, body


def run_statements(pre, scope, task_vars):
    """`def x = expr` (local) and `x = expr` (a task variable, visible to the outputs)."""
    for st in pre:
        m = re.match(r"^(def\s+)?([A-Za-z_]\w*)\s*=\s*(.+)$", st)
        if not m:
            raise NfError(f"unsupported Groovy statement: {st!r}")
        value = Expr(m.group(3), scope).run()
        scope[m.group(2)] = value
        if not m.group(1):
            task_vars[m.group(2)] = value


def render(proc, block, scope, what):
    """The shell script of `block` (script or stub) and the task variables it set."""
    if block not in proc:
        raise NfError(f"{what}: no '{block}:' section")
    pre, body = split_script(proc[block], what)
    task_vars = {}
    run_statements(pre, scope, task_vars)
    # Nextflow strips the common indentation of the script
    text = unescape(textwrap.dedent(body), interpolate=True, scope=scope)
    return text.strip("\n") + "\n", task_vars


# ---------------------------------------------------------------- commands


def cmd_run(a):
    procs = parse_nf(a.nf)
    if a.process not in procs:
        raise NfError(f"{a.nf}: no process {a.process} (has {', '.join(procs)})")
    proc = procs[a.process]
    given = {}
    for kv in a.inputs:
        k, _, v = kv.partition("=")
        given[k] = json.loads(v)
    a.workdir = os.path.abspath(a.workdir)
    os.makedirs(a.workdir, exist_ok=False)
    scope, staged = {}, set()
    declared = [e for ch in inputs_of(proc) for e in ch]
    for kind, name in declared:
        if name not in given:
            raise NfError(f"{a.process}: input '{name}' not given")
        v = given.pop(name)
        if kind == "path":
            files = v if isinstance(v, list) else [v]
            names = []
            for f in files:
                n = os.path.basename(f)
                if n in staged:
                    raise NfError(f"{a.process}: input file name collision: {n}")
                os.symlink(os.path.abspath(f), os.path.join(a.workdir, n))
                staged.add(n)
                names.append(n)
            scope[name] = Staged(names)
        else:
            scope[name] = v
    if given:
        raise NfError(f"{a.process}: no input called {', '.join(given)}")
    ext = dict(kv.partition("=")[::2] for kv in a.ext)
    scope["task"] = Task(a.process, a.cpus, ext)
    outscope = dict(scope)
    when = code_lines(proc.get("when", []))
    if when and not truthy(Expr(" ".join(when), dict(scope)).run()):
        raise NfError(f"{a.process}: its when: condition is false")
    script, task_vars = render(proc, "stub" if a.stub else "script", dict(scope), a.process)
    outscope.update(task_vars)
    with open(os.path.join(a.workdir, ".command.sh"), "w") as f:
        f.write("#!/bin/bash -euo pipefail\n" + script)
    with open(os.path.join(a.workdir, ".command.out"), "w") as out, open(os.path.join(a.workdir, ".command.err"), "w") as err:
        rc = subprocess.call(["bash", "-euo", "pipefail", ".command.sh"], cwd=a.workdir, stdout=out, stderr=err)
    if rc != 0:
        sys.stderr.write(open(os.path.join(a.workdir, ".command.err")).read())
        raise NfError(f"{a.process}: the script exited with {rc} (see {a.workdir}/.command.sh)")
    result = {}
    for o in outputs_of(proc):
        item, missing = [], False
        for kind, raw in o["elements"]:
            if kind == "val":
                item.append(Expr(raw, outscope).run())
                continue
            pattern = Expr(raw, outscope).run()
            hits = sorted(
                h for h in glob.glob(os.path.join(a.workdir, pattern)) if os.path.basename(h) not in staged
            ) if glob.has_magic(pattern) else [os.path.join(a.workdir, pattern)]
            hits = [h for h in hits if os.path.exists(h)]
            if not hits:
                missing = True
                break
            item.append(hits[0] if len(hits) == 1 else hits)
        if missing and not o["optional"]:
            raise NfError(f"{a.process}: missing output of '{o['emit']}' ({[r for _, r in o['elements']]})")
        result[o["emit"]] = [] if missing else [item if len(item) > 1 else item[0]]
    if a.print:
        if a.print not in result:
            raise NfError(f"{a.process}: no output emit '{a.print}'")
        for item in result[a.print]:
            for x in item if isinstance(item, list) else [item]:
                for p in x if isinstance(x, list) else [x]:
                    if isinstance(p, str) and p.startswith("/"):
                        print(p)
    else:
        json.dump(result, sys.stdout, indent=1, default=str)
        print()


ELEMENT_TYPES = {"map", "file", "directory", "string", "integer", "float", "boolean", "list"}


def check_element(el, where, errors):
    if not (isinstance(el, dict) and len(el) == 1):
        errors.append(f"{where}: an element must be a map with one key, got {el!r}")
        return None
    (name, spec), = el.items()
    if not isinstance(spec, dict):
        errors.append(f"{where}.{name}: no properties")
        return name
    if spec.get("type") not in ELEMENT_TYPES:
        errors.append(f"{where}.{name}: type {spec.get('type')!r} is not one of {sorted(ELEMENT_TYPES)}")
    if not isinstance(spec.get("description"), str) or not spec["description"].strip():
        errors.append(f"{where}.{name}: no description")
    return name


def channel_names(ch, where, errors):
    """An input/output channel of meta.yml: a list of elements (a tuple) or one element."""
    if isinstance(ch, list):
        return [check_element(el, f"{where}[{k}]", errors) for k, el in enumerate(ch)]
    return [check_element(ch, where, errors)]


def nf_name(kind, raw):
    return raw.strip("\"'") if kind == "path" and raw[:1] in "\"'" else raw


def cmd_check_meta(a):
    import yaml  # only here: it costs start-up time

    """meta.yml as nf-core's meta-schema describes it (required keys, tools,
    input: a list of channels, output: a map from emit name to channels, each
    element {type, description}), naming exactly the inputs and outputs of
    the process in main.nf, in order."""
    procs = parse_nf(a.nf)
    if len(procs) != 1:
        raise NfError(f"{a.nf}: expected one process, found {len(procs)}")
    (pname, proc), = procs.items()
    meta = yaml.safe_load(open(a.meta))
    errors = []
    for key in ("name", "description", "keywords", "authors", "output", "tools"):
        if key not in meta:
            errors.append(f"missing '{key}'")
    if meta.get("name") != pname.lower():
        errors.append(f"name {meta.get('name')!r} is not {pname.lower()!r}")
    kw = meta.get("keywords") or []
    if len(kw) < 3 or len(set(kw)) != len(kw):
        errors.append("keywords: at least 3, unique")
    for t in meta.get("tools") or []:
        (tname, spec), = t.items()
        if not spec.get("description"):
            errors.append(f"tools.{tname}: no description")
        if not any(k in spec for k in ("homepage", "documentation", "tool_dev_url", "doi")):
            errors.append(f"tools.{tname}: needs homepage, documentation, tool_dev_url or doi")
        if not (isinstance(spec.get("licence"), list) and spec["licence"]):
            errors.append(f"tools.{tname}: licence must be a non-empty list")
    meta_in = [channel_names(ch, f"input[{k}]", errors) for k, ch in enumerate(meta.get("input") or [])]
    nf_in = [[name for _, name in ch] for ch in inputs_of(proc)]
    if meta_in != nf_in:
        errors.append(f"inputs {meta_in} do not match main.nf {nf_in}")
    out = meta.get("output")
    if not isinstance(out, dict):
        errors.append("output must be a map from emit name to channels")
        out = {}
    nf_out = {o["emit"]: [nf_name(k, r) for k, r in o["elements"]] for o in outputs_of(proc)}
    if list(out) != list(nf_out):
        errors.append(f"output channels {list(out)} do not match main.nf's emits {list(nf_out)}")
    for emit, chans in out.items():
        if not (isinstance(chans, list) and len(chans) == 1):
            errors.append(f"output.{emit}: must be a list of one channel")
            continue
        names = channel_names(chans[0], f"output.{emit}", errors)
        if emit in nf_out and names != nf_out[emit]:
            errors.append(f"output.{emit}: elements {names} do not match main.nf {nf_out[emit]}")
    for e in errors:
        print(f"{a.meta}: {e}", file=sys.stderr)
    if errors:
        raise NfError(f"{a.meta}: {len(errors)} problem(s)")


def cmd_check_versions(a):
    import yaml

    data = yaml.safe_load(open(a.file))
    if not (isinstance(data, dict) and list(data) == [a.process] and isinstance(data[a.process], dict)):
        raise NfError(f"{a.file}: expected one key {a.process!r} holding a map, got {data!r}")
    got = {k: str(v) for k, v in data[a.process].items()}
    want = dict(kv.split("=", 1) for kv in a.tools)
    if got != want:
        raise NfError(f"{a.file}: versions {got} are not {want}")


def cmd_check_includes(a):
    src = open(a.nf).read()
    n = 0
    for names, path in re.findall(r"include\s*\{\s*([^}]*)\}\s*from\s*'([^']+)'", src):
        target = os.path.join(os.path.dirname(a.nf), path + ("" if path.endswith(".nf") else ".nf"))
        if not os.path.exists(target):
            raise NfError(f"{a.nf}: include from {path}: no {target}")
        procs = parse_nf(target)
        for name in (x.strip() for x in names.split(";")):
            if name not in procs:
                raise NfError(f"{a.nf}: {target} defines no process {name}")
            n += 1
    if n == 0:
        raise NfError(f"{a.nf}: includes nothing")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--nf", required=True)
    r.add_argument("--process", required=True)
    r.add_argument("--workdir", required=True)
    r.add_argument("--stub", action="store_true")
    r.add_argument("--cpus", type=int, default=1)
    r.add_argument("--ext", action="append", default=[])
    r.add_argument("--in", dest="inputs", action="append", default=[])
    r.add_argument("--print")
    m = sub.add_parser("check-meta")
    m.add_argument("--nf", required=True)
    m.add_argument("--meta", required=True)
    v = sub.add_parser("check-versions")
    v.add_argument("file")
    v.add_argument("process")
    v.add_argument("tools", nargs="+")
    i = sub.add_parser("check-includes")
    i.add_argument("nf")
    a = ap.parse_args()
    try:
        {"run": cmd_run, "check-meta": cmd_check_meta, "check-versions": cmd_check_versions,
         "check-includes": cmd_check_includes}[a.cmd](a)
    except (NfError, OSError, ValueError) as e:
        print(f"nf_task: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
