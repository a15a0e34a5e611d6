"""``zhiping serve``: the HTTP API (DESIGN §10), from the optional extra ``zhiping[serve]``.

FastAPI and uvicorn are imported only when the command runs, so that the base install
works without them; without them the command says how to install the extra and exits 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from zhiping.cli._common import EXIT_FAULT, EXIT_OK, Refused, add_lang, add_parser
from zhiping.errors import InputError
from zhiping.glossary import Lang, Text

__all__ = ["add_command"]

_MISSING = Text(
    zh="zhiping serve 需要可选组件 serve(FastAPI 与 uvicorn):pip install 'zhiping[serve]'",
    en="zhiping serve needs the serve extra (FastAPI and uvicorn): pip install 'zhiping[serve]'",
)


def add_command(commands: Any, lang: Lang) -> None:
    """Add ``serve`` to the command line, its help in ``lang``."""
    parser = add_parser(
        commands,
        "serve",
        lang,
        help=Text(zh="以 HTTP 接口提供服务", en="serve the HTTP API")[lang],
        description=Text(
            zh=(
                "以 HTTP 接口提供评议、记录与查询(见 docs/serve.md)。默认只监听本机;"
                "写入须凭 --tokens 文件中的令牌。"
            ),
            en=(
                "Serve evaluation, recording and reading over HTTP (see docs/serve.md). It "
                "listens on this machine only unless told otherwise; writing needs a token "
                "from the --tokens file."
            ),
        )[lang],
    )
    parser.add_argument(
        "--store",
        metavar="DB",
        type=Path,
        help=Text(zh="记录库文件(不存在则新建)", en="the records store (created if missing)")[lang],
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help=Text(zh="监听地址(默认 127.0.0.1)", en="the address to listen on (127.0.0.1)")[lang],
    )
    parser.add_argument(
        "--port",
        type=int,
        default=8000,
        help=Text(zh="端口(默认 8000)", en="the port (8000)")[lang],
    )
    parser.add_argument(
        "--tokens",
        metavar="FILE",
        type=Path,
        help=Text(
            zh="令牌文件(TOML,见 docs/serve.md);不给则无人可写入",
            en="the tokens file (TOML, see docs/serve.md); without it nobody may write",
        )[lang],
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help=Text(
            zh="工作进程数(默认 1;每个进程各自打开记录库)",
            en="worker processes (1; each opens the store itself)",
        )[lang],
    )
    parser.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help=Text(
            zh=(
                "允许此来源(scheme://host[:port])的浏览器页面跨域调用接口(CORS);"
                "可重复;* 表示任何来源;默认不允许"
            ),
            en=(
                "let browser pages of this origin (scheme://host[:port]) call the API "
                "(CORS); repeatable; * for any; none by default"
            ),
        )[lang],
    )
    add_lang(parser, lang)
    parser.set_defaults(run=run)


def run(arguments: argparse.Namespace) -> int:
    """Run the server until interrupted."""
    lang: Lang = arguments.lang
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError:
        sys.stderr.write(f"zhiping: {_MISSING[lang]}\n")
        return EXIT_FAULT
    if arguments.workers < 1:
        raise Refused(Text(zh="--workers 至少为 1", en="--workers must be at least 1"))
    from zhiping.packs.registry import default_registry
    from zhiping.serve import read_tokens
    from zhiping.serve._app import CONFIG_VARIABLE
    from zhiping.serve._workers import APPLICATION, run_workers, spreads_connections
    from zhiping.store import Store

    origins = [_origin(value) for value in arguments.allow_origin]
    # A bad tokens file, store or pack is refused now, with its problems, before uvicorn
    # starts (each worker then discovers the packs again, once).
    default_registry()
    if arguments.tokens is not None:
        read_tokens(arguments.tokens)
    if arguments.store is not None:
        Store(arguments.store).close()
    options = {
        "store": None if arguments.store is None else str(arguments.store.resolve()),
        "tokens": None if arguments.tokens is None else str(arguments.tokens.resolve()),
        "allow_origins": origins,
    }
    os.environ[CONFIG_VARIABLE] = json.dumps(options)
    if arguments.workers > 1 and spreads_connections():
        # Each worker on a socket of its own, so that connections are spread over them.
        try:
            return run_workers(arguments.host, arguments.port, arguments.workers)
        except OSError as error:
            raise Refused(
                Text(
                    zh=f"无法监听 {arguments.host}:{arguments.port}:{error.strerror}",
                    en=f"cannot listen on {arguments.host}:{arguments.port}: {error.strerror}",
                )
            ) from None
    uvicorn.run(
        APPLICATION,
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        log_level="info",
    )
    return EXIT_OK


def _origin(value: str) -> str:
    """Return an ``--allow-origin`` value as the server keeps it, or refuse it (exit 2)."""
    from zhiping.serve._app import allowed_origin

    try:
        return allowed_origin(value)
    except InputError as error:
        text = error.problems[0].text
        raise Refused(
            Text(zh=f"--allow-origin:{text.zh}", en=f"--allow-origin: {text.en}")
        ) from None
