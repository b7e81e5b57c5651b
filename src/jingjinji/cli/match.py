"""``jjj match LISTING_ID`` (or ``jjj match show``): a listing's matches with their reasons;
``jjj match evaluate``: ranking quality on the shipped evaluation sets and on the recorded
outcomes."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from typer.core import TyperGroup

from jingjinji.cli._common import CliError, console, load_settings, session_scope
from jingjinji.store.models import Listing


class _ListingOrCommand(TyperGroup):
    """``jjj match 42`` means ``jjj match show 42``: a first word that is no subcommand is a
    listing id."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["show", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(
    cls=_ListingOrCommand,
    help="Matching: a listing's matches (jjj match LISTING_ID), ranking quality (evaluate).",
    no_args_is_help=True,
)


def _index(settings: object) -> object:
    from jingjinji.atlas import load_atlas
    from jingjinji.market import MarketIndex, index_folder, model_folder, weights_from

    return MarketIndex(
        load_atlas(),
        folder=index_folder(settings),  # type: ignore[arg-type]
        weights=weights_from(settings),  # type: ignore[arg-type]
        models=model_folder(settings),  # type: ignore[arg-type]
    )


@app.command("show")
def show(
    listing_id: int = typer.Argument(..., help="Listing id (a demand, challenge or achievement)."),
    top: int = typer.Option(10, "--top", min=1, max=100, help="How many matches."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Print the best matches of a listing with the reasons for each (also ``jjj match
    LISTING_ID``)."""
    from jingjinji.market import MarketIndex, compute_matches

    settings = load_settings()
    with session_scope(settings) as session:
        listing = session.get(Listing, listing_id)
        if listing is None:
            raise CliError(f"LISTING_ID: no listing {listing_id}")
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True
        ) as bar:
            bar.add_task("loading the matching index", total=None)
            index = _index(settings)
            assert isinstance(index, MarketIndex)
            results = compute_matches(session, index, listing, top=top)
        if as_json:
            payload = [
                {
                    "listing_id": r.listing.id,
                    "title": r.listing.title,
                    "kind": r.listing.kind,
                    "match_id": r.match.id if r.match else None,
                    "score": r.scored.score,
                    "bm25": r.scored.bm25,
                    "reasons": [asdict(reason) for reason in r.scored.reasons],
                    # either side of the match is sample data (示例数据)
                    "includes_sample": "demo" in (listing.provenance, r.listing.provenance),
                }
                for r in results
            ]
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        sample = "（示例数据）" if listing.provenance == "demo" else ""
        table = Table(title=f"{listing.title}{sample} — top {top}")
        for column in ("#", "得分", "对象", "理由（得分构成）"):
            table.add_column(column)
        for rank, r in enumerate(results, start=1):
            reasons = "\n".join(
                f"{x.label} +{x.points:.3f}：{x.detail}" for x in r.scored.reasons if x.points > 0
            )
            table.add_row(
                str(rank), f"{r.scored.score:.3f}", f"[{r.listing.id}] {r.listing.title}", reasons
            )
        console.print(table)


@app.command("evaluate")
def evaluate_command(
    sets: list[str] = typer.Option(
        [],
        "--set",
        help="An evaluation set: a shipped one (eval_set, problem_set) or a YAML file of the "
        "same form; repeat for several (default: every shipped set).",
    ),
    judgements: bool = typer.Option(
        True,
        "--judgements/--no-judgements",
        help="Also rank the demands of the database's recorded outcomes (accepted matches).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
    feedback_docs: int = typer.Option(
        0,
        "--feedback-docs",
        min=0,
        max=20,
        help="Pseudo-relevance feedback on the shipped sets: terms from this many first hits "
        "added to the +expansion retrievers (0: off, as the platform serves).",
    ),
    feedback_terms: int = typer.Option(8, "--feedback-terms", min=1, max=50),
    segments: bool = typer.Option(
        True,
        "--segments/--no-segments",
        help="Rank the sets' demands with their segments, or as if they named none.",
    ),
) -> None:
    """nDCG@10, MRR and recall@50 of each retriever on the evaluation sets and on the recorded
    judgements: lexical (BM25 alone), dense (embeddings alone), fusion (both by reciprocal
    rank), full (BM25 candidates re-ranked by the match formula), hybrid (fused candidates
    re-ranked: what the platform serves); +expansion: the query takes in its segments'
    vocabulary."""
    from jingjinji.atlas import load_atlas
    from jingjinji.matching import EVAL_SETS, evaluate_set, load_eval_set

    atlas = load_atlas()
    embedder, retrievers = _embedder(atlas, load_settings())
    names = sets or [name for name, path in EVAL_SETS.items() if path.is_file()]
    report: dict[str, Any] = {}
    for name in names:
        try:
            evaluation = load_eval_set(name)
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise CliError(f"--set {name}: not an evaluation set ({exc})") from exc
        report[evaluation.name] = {
            "demands": len(evaluation.demands),
            "label": evaluation.provenance.get("label", ""),
            "retrievers": evaluate_set(
                atlas,
                evaluation,
                retrievers=retrievers,
                feedback_docs=feedback_docs,
                feedback_terms=feedback_terms,
                embedder=embedder,
                segments=segments,
            ),
        }
    if judgements:
        report["judgements"] = _judgements(load_settings())
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for name, part in report.items():
        if not part.get("retrievers"):
            console.print(f"{name}: {part.get('note', 'nothing to rank')}")
            continue
        label = f"（{part['label']}）" if part.get("label") else ""
        table = Table(title=f"{name}{label}: {part['demands']} demands")
        for column in ("retriever", "nDCG@10", "MRR", "recall@50"):
            table.add_column(column)
        for retriever, figures in part["retrievers"].items():
            table.add_row(
                retriever,
                f"{figures['ndcg@10']:.4f}",
                f"{figures['mrr']:.4f}",
                f"{figures['recall@50']:.4f}",
            )
        console.print(table)


def _embedder(atlas: Any, settings: Any) -> tuple[Any, tuple[str, ...]]:
    """The embedding model (``None`` when dense retrieval is off) and the retrievers to
    report with it."""
    from jingjinji.market import model_folder
    from jingjinji.matching import LEXICAL_RETRIEVERS, RETRIEVERS, domain_terms, load_or_distil

    folder = model_folder(settings)
    if folder is None:
        return None, LEXICAL_RETRIEVERS
    return load_or_distil(folder, domain_terms(atlas)), RETRIEVERS


@app.command("distil")
def distil_command() -> None:
    """Make the embedding model of dense retrieval now (into JJJ_MODEL_DIR, about 20 s on 2
    cores), rather than when the matching index is first built."""
    from jingjinji.atlas import load_atlas

    model, _retrievers = _embedder(load_atlas(), load_settings())
    if model is None:
        raise CliError("dense retrieval is off (JJJ_DENSE_RETRIEVAL=false): nothing to make")
    console.print(f"{model.fingerprint}: {len(model.words)} words × {model.dims} dimensions")


def _judgements(settings: object) -> dict[str, Any]:
    from jingjinji.market import MarketIndex, recorded_judgements
    from jingjinji.matching import LEXICAL_RETRIEVERS, RETRIEVERS, evaluate_demands

    with session_scope(settings) as session:  # type: ignore[arg-type]
        found = recorded_judgements(session)
        part: dict[str, Any] = {
            "demands": len(found.demands),
            "accepted": found.accepted,
            "declined": found.declined,
            "label": "示例数据" if found.includes_sample else "",
        }
        if not found.demands:
            part["note"] = "no accepted matches recorded yet"
            return part
        index = _index(settings)
        assert isinstance(index, MarketIndex)
        matcher = index.ensure(session)
        retrievers = RETRIEVERS if matcher.embedder is not None else LEXICAL_RETRIEVERS
        part["retrievers"] = evaluate_demands(matcher, found.demands, retrievers=retrievers)
    return part


@app.command("tune")
def tune_command(
    sets: list[str] = typer.Option(
        [],
        "--set",
        help="An evaluation set (shipped name or YAML file); repeat for several (default: "
        "every shipped set).",
    ),
    judgements: bool = typer.Option(
        True, "--judgements/--no-judgements", help="Also fit to the recorded outcomes."
    ),
    held_out: float = typer.Option(
        0.3, "--held-out", min=0.0, max=0.9, help="Share of queries kept out of the fit."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Fit the weights of the match formula to the evaluation sets and the recorded
    judgements (coordinate ascent on nDCG@10, a held-out split scored before and after) and
    print what would change. Nothing is applied: set JJJ_MATCH_WEIGHTS to adopt it."""
    from jingjinji.atlas import load_atlas
    from jingjinji.matching import EVAL_SETS, Matcher, atlas_context, load_eval_set, pipeline_for
    from jingjinji.matching.eval_sets import TODAY
    from jingjinji.matching.tune import as_setting, fit_weights, tune_queries

    atlas = load_atlas()
    settings = load_settings()
    from jingjinji.market import weights_from

    weights = weights_from(settings)
    embedder, _retrievers = _embedder(atlas, settings)
    queries = []
    for name in sets or [name for name, path in EVAL_SETS.items() if path.is_file()]:
        try:
            evaluation = load_eval_set(name)
        except (OSError, KeyError, TypeError, ValueError) as exc:
            raise CliError(f"--set {name}: not an evaluation set ({exc})") from exc
        matcher = Matcher(pipeline_for(atlas), atlas_context(atlas), weights, embedder)
        matcher.build(evaluation.documents)
        queries += tune_queries(matcher, evaluation.demands, source=evaluation.name, today=TODAY)
    if judgements:
        from jingjinji.market import MarketIndex, recorded_judgements

        with session_scope(settings) as session:
            found = recorded_judgements(session)
            if found.demands:
                index = _index(settings)
                assert isinstance(index, MarketIndex)
                queries += tune_queries(index.ensure(session), found.demands, source="judgements")
    if not queries:
        raise CliError("nothing to fit: no evaluation set and no recorded judgement")
    result = fit_weights(queries, weights, held_out=held_out)
    setting = as_setting(result.proposed, weights)
    if as_json:
        typer.echo(json.dumps({**asdict(result), "setting": setting}, ensure_ascii=False, indent=2))
        return
    table = Table(title="match weights (not applied)")
    for column in ("factor", "current", "proposed"):
        table.add_column(column)
    for factor, value in result.current.items():
        table.add_row(factor, f"{value:.4f}", f"{result.proposed[factor]:.4f}")
    console.print(table)
    figures = Table(title=f"nDCG@10 / MRR ({result.passes} passes of coordinate ascent)")
    for column in ("queries", "n", "nDCG@10 before", "after", "MRR before", "after"):
        figures.add_column(column)
    for label, part, n in (
        ("training", result.train, result.train_queries),
        ("held out", result.held_out, result.held_out_queries),
    ):
        figures.add_row(
            label,
            str(n),
            f"{part['ndcg@10_before']:.4f}",
            f"{part['ndcg@10_after']:.4f}",
            f"{part['mrr_before']:.4f}",
            f"{part['mrr_after']:.4f}",
        )
    console.print(figures)
    gain = result.held_out["ndcg@10_after"] - result.held_out["ndcg@10_before"]
    verdict = (
        f"held-out nDCG@10 rises by {gain:.4f}: the change generalises to queries it was not fit on"
        if gain > 0
        else f"held-out nDCG@10 changes by {gain:.4f}: the fit does not generalise; keep the "
        "current weights"
    )
    console.print(verdict, highlight=False)
    console.print(f"to adopt: JJJ_MATCH_WEIGHTS='{setting}'", highlight=False, soft_wrap=True)
