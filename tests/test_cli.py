"""`kerastorch run SCRIPT`: unmodified TensorFlow scripts run on kerastorch.

Most tests call `cli.main` in this process (the import aliases, `sys.argv`, `sys.path`
and the modules imported under alias names are restored afterwards); one runs the
real `python -m kerastorch run` command.
"""

import os
import subprocess
import sys
import textwrap
import types

import pytest

import kerastorch
from kerastorch import _missing, cli


@pytest.fixture
def run(monkeypatch, capsys, tmp_path):
    """Runs a script's source through `kerastorch run`; gives (exit code, stdout, stderr).

    Afterwards the alias modules and the modules loaded from `tmp_path` are forgotten.
    """
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    before = set(sys.modules)

    def run_source(source, *args, name="script.py"):
        path = tmp_path / name
        path.write_text(textwrap.dedent(source))
        code = cli.main(["run", str(path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    yield run_source
    for name in set(sys.modules) - before:
        module_file = getattr(sys.modules[name], "__file__", None) or ""
        if name.partition(".")[0] in ("tensorflow", "keras") or module_file.startswith(str(tmp_path)):
            del sys.modules[name]


def test_import_tensorflow_is_kerastorch(run):
    code, out, _ = run("""
        import tensorflow as tf
        import kerastorch
        print(tf is kerastorch)
        print(tf.constant([[1, 2, 3], [4, 5, 6]]))
    """)
    assert code == 0
    # from TF 2.21
    assert out == "True\ntf.Tensor(\n[[1 2 3]\n [4 5 6]], shape=(2, 3), dtype=int32)\n"


@pytest.mark.parametrize("statement", [
    "import tensorflow.errors as errors",
    "from tensorflow import errors",
    "from tensorflow.errors import InvalidArgumentError; import tensorflow.errors as errors",
], ids=["import-as", "from-import", "from-submodule"])
def test_submodules_resolve_to_kerastorch_modules(run, statement):
    code, out, err = run(f"""
        {statement}
        import kerastorch.errors
        print(errors is kerastorch.errors, errors.__spec__.name)
    """)
    assert code == 0, err
    assert out == "True kerastorch.errors\n"


def test_namespace_attribute_imports_as_module(run, monkeypatch):
    namespace = types.ModuleType("kerastorch._some_namespace")
    monkeypatch.setattr(kerastorch, "some_namespace", namespace, raising=False)
    code, out, err = run("""
        import tensorflow.some_namespace as ns
        print(ns.__name__)
    """)
    assert code == 0, err
    assert out == "kerastorch._some_namespace\n"


def test_argv_name_and_file_are_those_of_a_script(run, tmp_path):
    code, out, err = run("""
        import sys
        print(sys.argv[1:])
        print(__file__ == sys.argv[0])
        if __name__ == "__main__":
            print("main")
    """, "--epochs", "3", "data.csv")
    assert code == 0, err
    assert out == "['--epochs', '3', 'data.csv']\nTrue\nmain\n"


def test_script_folder_is_first_on_import_path(run, tmp_path):
    (tmp_path / "sibling.py").write_text("VALUE = 42\n")
    code, out, err = run("import sibling\nprint(sibling.VALUE)\n")
    assert code == 0, err
    assert out == "42\n"


def test_missing_symbol_names_it(run):
    code, out, err = run("""
        import tensorflow as tf
        print("before")
        tf.no_such_op(1)
    """)
    assert (code, out) == (1, "before\n")
    assert err.rstrip().endswith("AttributeError: kerastorch does not implement tf.no_such_op yet")
    # The traceback starts at the script, as python's own does.
    assert err.splitlines()[1].startswith('  File "') and "script.py" in err.splitlines()[1]
    assert "runpy" not in err


def test_missing_name_in_a_from_import_names_it(run):
    code, _, err = run("from tensorflow.keras.layers import NoSuchLayer\n")
    assert code == 1
    assert "ImportError: cannot import name 'NoSuchLayer' from 'kerastorch.keras.layers'" in err
    assert err.rstrip().endswith("kerastorch does not implement tensorflow.keras.layers.NoSuchLayer")


def test_missing_names_say_so_outside_kerastorch_run_too():
    with pytest.raises(AttributeError, match=r"^kerastorch does not implement tf.keras.layers.NoSuchLayer yet$"):
        kerastorch.keras.layers.NoSuchLayer  # noqa: B018
    assert not hasattr(kerastorch.math, "no_such_op")
    assert getattr(kerastorch.nn, "no_such_op", "default") == "default"


def test_install_aliases_tensorflow_in_this_process(monkeypatch):
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    monkeypatch.delitem(sys.modules, "tensorflow", raising=False)
    kerastorch.install()
    import tensorflow

    assert tensorflow is kerastorch
    del sys.modules["tensorflow"]


def test_missing_module_names_it(run):
    code, _, err = run("import tensorflow.no_such_module\n")
    assert code == 1
    assert ("ModuleNotFoundError: kerastorch does not implement tensorflow.no_such_module yet "
            "(looked for kerastorch.no_such_module)") in err
    assert "direct cause" not in err


def test_missing_dependency_of_a_real_module_is_reported_as_is(run, monkeypatch, tmp_path):
    package = tmp_path / "extra"
    package.mkdir()
    (package / "broken.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.setattr(kerastorch, "__path__", [*kerastorch.__path__, str(package)])
    code, _, err = run("import tensorflow.broken\n")
    assert code == 1
    assert "ModuleNotFoundError: No module named 'no_such_dependency_xyz'" in err


def test_missing_attribute_inside_kerastorch_is_not_called_a_missing_tf_name(run, monkeypatch, tmp_path):
    package = tmp_path / "extra"
    package.mkdir()
    (package / "inner.py").write_text("import kerastorch\n\ndef f():\n    return kerastorch.no_such_internal\n")
    monkeypatch.setattr(kerastorch, "__path__", [*kerastorch.__path__, str(package)])
    monkeypatch.setattr(cli, "_PACKAGE_DIR", str(package) + os.sep)
    monkeypatch.setattr(_missing, "_PACKAGE_DIR", str(package) + os.sep)
    code, _, err = run("import tensorflow.inner as inner\ninner.f()\n")
    assert code == 1
    assert "AttributeError: module 'kerastorch' has no attribute 'no_such_internal'" in err
    assert "kerastorch does not implement" not in err


def test_other_errors_exit_1_with_their_traceback(run):
    code, _, err = run("""
        import tensorflow as tf
        tf.constant([1, 2]) + tf.constant([1.0, 2.0])
    """)
    assert code == 1
    assert "InvalidArgumentError" in err
    assert "kerastorch does not implement" not in err


def test_sys_exit_keeps_its_code(run):
    with pytest.raises(SystemExit) as info:
        run("import sys\nsys.exit(3)\n")
    assert info.value.code == 3


def test_missing_script(run, capsys):
    code = cli.main(["run", "no/such/script.py"])
    assert code == 2
    assert "can't open file 'no/such/script.py'" in capsys.readouterr().err


def test_python_dash_m_kerastorch_run(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent("""
        import sys
        import tensorflow as tf
        print(__name__, sys.argv[1:])
        print(tf.constant([1, 2, 3]) + 10)
        sys.exit(4)
    """))
    proc = subprocess.run([sys.executable, "-m", "kerastorch", "run", str(script), "-v", "x"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 4, proc.stderr
    # from TF 2.21
    assert proc.stdout == "__main__ ['-v', 'x']\ntf.Tensor([11 12 13], shape=(3,), dtype=int32)\n"
