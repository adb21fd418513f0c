"""Run a command beside a throwaway PostgreSQL server: a new cluster in a temporary
folder, reached only through a Unix socket in that folder, removed afterwards.

    python tools/throwaway_postgres.py -- pytest tests/unit
    python tools/throwaway_postgres.py --available      # exit 0 if PostgreSQL is here

The command sees FRONTDESK_TEST_POSTGRES, a SQLAlchemy URL of the cluster's `postgres`
database (user `frontdesk`, a superuser, no password: the socket is the only way in).
PostgreSQL refuses to run as root, so as root the cluster runs as `nobody`.

From Python (bench/postgres.py): `with throwaway_cluster() as url: ...`; tests want it
fast (no fsync), `durable=True` keeps the server's defaults, as an office runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

VARIABLE = "FRONTDESK_TEST_POSTGRES"
PORT = 5432  # only a socket file's name: nothing listens on TCP
USER = "frontdesk"
OWNER_FILE = "owner.pid"  # the process that started the cluster, to find leftovers


def bin_dir() -> Path | None:
    """The newest PostgreSQL server's programs (Debian keeps them out of PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _run_as_owner(*command: str) -> None:
    """A server program, as `nobody` when this is root."""
    owner = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
    subprocess.run([*owner, *command], stdout=subprocess.DEVNULL, check=True)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as the server's owner can read them."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert, private = folder / "server.crt", folder / "server.key"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    private.chmod(0o600)
    if os.geteuid() == 0:
        shutil.chown(cert, "nobody")
        shutil.chown(private, "nobody")
    return cert, private


def _tls_only(data: Path, folder: Path) -> str:
    """Server options that also listen on 127.0.0.1, where pg_hba.conf lets in only
    connections that use TLS (the socket stays open to the owner)."""
    cert, key = self_signed(folder)
    hba = data / "pg_hba.conf"
    hba.write_text("local all all trust\nhostssl all all 127.0.0.1/32 trust\n")
    if os.geteuid() == 0:
        shutil.chown(hba, "nobody")
    return f" -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={cert} -c ssl_key_file={key}"


def sweep_leftovers(programs: Path) -> list[Path]:
    """The clusters of runs that were killed (a SIGKILL skips the `finally` that stops
    and removes them): stopped and removed, so they hold no memory, socket or disk.
    A cluster is a leftover when the process that started it is gone."""
    from frontdesk.services.protection.backups import process_alive

    swept = []
    for folder in Path(tempfile.gettempdir()).glob("fd-pg-*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # being made, or not one of ours
        if process_alive(owner):
            continue
        if (folder / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                _run_as_owner(
                    str(programs / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "stop"
                )
        shutil.rmtree(folder, ignore_errors=True)
        swept.append(folder)
    return swept


@contextmanager
def throwaway_cluster(
    programs: Path | None = None, *, durable: bool = False, tls_port: int | None = None
) -> Iterator[str]:
    """A running cluster for the duration; its URL. Not `durable`: commits are not
    flushed to disk (a test's data need not survive a power cut). With `tls_port`, it
    also listens on 127.0.0.1 there, for connections that use TLS only (a self-signed
    certificate, `server.crt` in the cluster's folder)."""
    programs = programs or bin_dir()
    if programs is None:
        raise RuntimeError("PostgreSQL is not installed (apt install postgresql)")
    sweep_leftovers(programs)
    folder = Path(tempfile.mkdtemp(prefix="fd-pg-"))
    (folder / OWNER_FILE).write_text(str(os.getpid()))
    data, socket = folder / "data", folder / "socket"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody")
        shutil.chown(socket, "nobody")
        folder.chmod(0o755)
    try:
        _run_as_owner(
            str(programs / "initdb"), "-D", str(data), "-U", USER, "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        port = tls_port or PORT
        options = f"-k {socket} -p {port} -c max_connections=200"
        if tls_port is None:
            options += " -c listen_addresses=''"
        else:
            options += _tls_only(data, folder)
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        pg_ctl = str(programs / "pg_ctl")
        _run_as_owner(pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
                      "-w", "start")  # fmt: skip
        try:
            yield f"postgresql+psycopg://{USER}@/postgres?host={socket}&port={port}"
        finally:
            _run_as_owner(pg_ctl, "-D", str(data), "-m", "fast", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--available", action="store_true", help="PostgreSQL is installed")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    programs = bin_dir()
    if args.available:
        return 0 if programs else 1
    if programs is None:
        print("PostgreSQL is not installed (apt install postgresql)", file=sys.stderr)
        return 2
    command = [part for part in args.command if part != "--"] or ["true"]
    with throwaway_cluster(programs) as url:
        return subprocess.run(command, env={**os.environ, VARIABLE: url}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
