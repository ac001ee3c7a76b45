"""Run with the real lightning 2.6.6: execute each migrated fixture statement by statement.

stdin: a JSON object {expected file: [its caveat comments]}. Prints one JSON object {file: [failures]}. A statement fails
when it raises anything but NameError (it uses a name the fixture never defines, e.g. `model`), a missing optional
package (wandb), or a "no such hardware" error (CUDA/TPU on a CPU host). Statements under a `# lit-migrate:` review
note are skipped: they are known to need a human. A caveat comment (a rewrite that is done, with a remark) does not
skip its statement.
"""

import ast
import json
import sys
import warnings

warnings.simplefilter("ignore")
HARDWARE = ("cuda", "tpu", "xla", "gpu", "mps")
failures = {}
caveats_of = json.loads(sys.stdin.read())
sys.argv = sys.argv[:1]  # fixtures that parse the command line see an empty one


def needs_review(lines, first, caveats):
    """Whether the comment lines right above line `first` hold a review note (not only caveats)."""
    i = first - 2
    while i >= 0 and lines[i].strip().startswith("#"):
        comment = lines[i].strip()
        if comment.startswith("# lit-migrate:") and " ".join(comment[len("# lit-migrate:"):].split()) not in caveats:
            return True
        i -= 1
    return False


for path, caveats in caveats_of.items():
    source = open(path, encoding="utf-8").read()
    lines = source.splitlines()
    namespace = {"__name__": "fixture"}
    problems = []
    caveats = {" ".join(c.split()) for c in caveats}
    for stmt in ast.parse(source).body:
        decorated = getattr(stmt, "decorator_list", [])
        first = min([stmt.lineno] + [d.lineno for d in decorated])
        if needs_review(lines, first, caveats):
            continue
        code = compile(ast.Module(body=[stmt], type_ignores=[]), path, "exec")
        try:
            exec(code, namespace)
        except NameError:
            continue
        except ModuleNotFoundError as err:
            if "lightning" in str(err).split("HINT")[0] and "Requirement" not in str(err):
                problems.append(f"line {stmt.lineno}: {err}")
            continue  # an optional third-party package (wandb, ...) that this interpreter lacks
        except Exception as err:  # collected and reported
            text = f"{type(err).__name__}: {err}"
            if not any(h in text.lower() for h in HARDWARE):
                problems.append(f"line {stmt.lineno}: {text[:300]}")
    failures[path] = problems
print(json.dumps(failures))
