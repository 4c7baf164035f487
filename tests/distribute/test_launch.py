"""`kerastorch run --nproc-per-node N SCRIPT`: the script goes to torch's launcher, each worker
being `python -m kerastorch run SCRIPT` (the launch itself: test_multiprocess.py)."""

import pytest
from torch.distributed import run as torchrun
from torch.distributed.elastic.multiprocessing.errors import ChildFailedError, ProcessFailure

from kerastorch import cli


@pytest.fixture
def launched(monkeypatch):
    calls = []
    monkeypatch.setattr(torchrun, "run", calls.append)
    return calls


def test_launcher_options_go_to_torchrun(tmp_path, launched):
    script = tmp_path / "train.py"
    script.write_text("")
    code = cli.main(["run", "--nproc-per-node", "4", "--nnodes", "2", "--node_rank", "1", "--master-addr", "10.0.0.1",
                     "--master-port", "29400", str(script), "--epochs", "3"])
    assert code == 0
    (config,) = launched
    assert (config.nproc_per_node, config.nnodes, config.node_rank) == ("4", "2", 1)
    assert (config.master_addr, config.master_port) == ("10.0.0.1", 29400)
    assert config.module and config.training_script == "kerastorch"
    assert config.training_script_args == ["run", str(script), "--epochs", "3"]


def test_without_launcher_options_the_script_runs_here(tmp_path, launched, capsys):
    script = tmp_path / "train.py"
    script.write_text("print('here')")
    assert cli.main(["run", str(script)]) == 0
    assert launched == [] and capsys.readouterr().out == "here\n"


def test_a_failed_worker_fails_the_run(tmp_path, monkeypatch):
    def fail(config):
        raise ChildFailedError("kerastorch", {0: ProcessFailure(0, 123, 1, "")})

    monkeypatch.setattr(torchrun, "run", fail)
    script = tmp_path / "train.py"
    script.write_text("")
    assert cli.main(["run", "--nproc-per-node", "2", str(script)]) == 1


def test_missing_script(launched, capsys):
    assert cli.main(["run", "--nproc-per-node", "2", "nowhere.py"]) == 2
    assert launched == [] and "can't open file 'nowhere.py'" in capsys.readouterr().err
