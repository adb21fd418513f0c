"""TLS when the URL asks for it (issue 23 §4): a server that takes connections over TCP
only with TLS (tools/throwaway_postgres.py, `tls_port`). The URL's sslmode reaches the
server's client library as it is: `require` connects encrypted, `verify-full` checks the
server's certificate against the office's, and what the server or the check refuses is
said in Chinese, naming the server."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from frontdesk.domain.location import ServerLocation
from frontdesk.errors import EnvironmentProblem
from frontdesk.services.database import open_at

pytestmark = pytest.mark.postgres

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def tls_server() -> Iterator[tuple[int, Path]]:
    """A cluster of its own listening on 127.0.0.1 for TLS only, with a database `estate`;
    its port and its certificate."""
    sys.path.insert(0, str(TOOLS))
    from throwaway_postgres import throwaway_cluster

    port = _free_port()
    with throwaway_cluster(tls_port=port) as owner_url:
        engine = create_engine(owner_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("CREATE DATABASE estate"))
        engine.dispose()
        yield port, Path(str(make_url(owner_url).query["host"])).parent / "server.crt"


def _at(port: int, **options: str) -> ServerLocation:
    return ServerLocation("frontdesk", "127.0.0.1", port, "estate", tuple(options.items()))


def test_sslmode_require_connects_encrypted(tls_server: tuple[int, Path]) -> None:
    port, _certificate = tls_server
    db = open_at(_at(port, sslmode="require"))
    try:
        with db.engine.connect() as connection:
            encrypted = connection.scalar(
                text("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            )
            tables = connection.scalar(
                text("SELECT count(*) FROM pg_tables WHERE tablename = 'audit_log'")
            )
    finally:
        db.dispose()
    assert encrypted is True
    assert tables == 1  # the empty database was made ours over the encrypted connection


def test_verify_full_checks_the_servers_certificate(
    tls_server: tuple[int, Path], tmp_path: Path
) -> None:
    port, certificate = tls_server
    open_at(_at(port, sslmode="verify-full", sslrootcert=str(certificate))).dispose()

    stranger = tmp_path / "other-office.crt"
    sys.path.insert(0, str(TOOLS))
    from throwaway_postgres import self_signed

    other, _key = self_signed(tmp_path)
    other.rename(stranger)
    with pytest.raises(EnvironmentProblem) as refused:
        open_at(_at(port, sslmode="verify-full", sslrootcert=str(stranger)))
    assert refused.value.message.startswith(
        f"与服务器 127.0.0.1:{port} 上的数据库 estate的加密连接（sslmode=verify-full）未能建立："
    )
    assert refused.value.message.endswith("请信息部门核对服务器证书。")


def test_a_connection_without_tls_is_refused_by_the_server_and_named(
    tls_server: tuple[int, Path],
) -> None:
    port, _certificate = tls_server
    with pytest.raises(EnvironmentProblem) as refused:
        open_at(_at(port, sslmode="disable"))
    assert refused.value.message == (
        f"服务器 127.0.0.1:{port} 不允许本机以用户 frontdesk 连接数据库 estate。"
        "请信息部门在服务器上放行本机。"
    )
