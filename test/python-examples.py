"""Checks the README's Python examples against the generated Python binding, without running them.

Usage: python3 python-examples.py README.md [docs/guide.md ...] path/to/cdk_redshift_serverless_snapshot/__init__.py

Every call of a class or static method imported from cdk_redshift_serverless_snapshot, and of a
method of a variable assigned one of its instances (`nightly = RedshiftServerlessSnapshotSchedule(...)`
then `nightly.alarm_on_missed_snapshot(...)`), must pass
no more positional arguments than the binding takes, and only keyword arguments it names (jsii
turns a trailing struct parameter into keyword arguments). Prints one line per problem and exits
1 if there is any; prints how many calls it checked.
"""
import ast
import re
import sys

MODULE = "cdk_redshift_serverless_snapshot"


def signatures(binding):
    """(class, method or None for the constructor) -> (positional parameter names, all parameter names)."""
    found = {}
    for node in ast.parse(binding).body:
        if not isinstance(node, ast.ClassDef):
            continue
        for item in node.body:
            if isinstance(item, ast.FunctionDef):
                # The first parameter is self or cls.
                positional = [a.arg for a in item.args.posonlyargs + item.args.args][1:]
                keywords = [a.arg for a in item.args.kwonlyargs] + positional
                found[(node.name, None if item.name == "__init__" else item.name)] = (positional, keywords)
    return found


def main(markdown_paths, binding_path):
    readme = "\n".join(open(path, encoding="utf8").read() for path in markdown_paths)
    known = signatures(open(binding_path, encoding="utf8").read())
    problems, checked = [], 0
    for block in re.findall(r"^```python\n(.*?)^```", readme, re.S | re.M):
        tree = ast.parse(block)
        imported = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == MODULE
            for alias in node.names
        }
        instances = {
            node.targets[0].id: node.value.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            and node.value.func.id in imported
        }
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            target = call.func
            if isinstance(target, ast.Name) and target.id in imported:
                key = (target.id, None)
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in imported:
                key = (target.value.id, target.attr)
            elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id in instances:
                key = (instances[target.value.id], target.attr)
            else:
                continue
            checked += 1
            name = key[0] + ("." + key[1] if key[1] else "")
            if key not in known:
                problems.append(f"{name}: not in the binding")
                continue
            positional, keywords = known[key]
            if len(call.args) > len(positional):
                problems.append(f"{name}: {len(call.args)} positional arguments, the binding takes {len(positional)}")
            for keyword in call.keywords:
                if keyword.arg not in keywords:
                    problems.append(f"{name}: no keyword argument {keyword.arg}")
    for problem in problems:
        print(problem)
    print(f"checked {checked} calls")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:-1], sys.argv[-1]))
