from __future__ import annotations

import numpy as np
import pytest

from babelwire import Article, Database
from babelwire.stages.embed import EmbedStage

ARTICLES = {
    "nl": ("Onderhandelingen over de Krim", "Rusland en Oekraïne hervatten in Genève de"
           " onderhandelingen over de status van de Krim."),
    "en": ("Crimea talks resume", "Russia and Ukraine resumed negotiations in Geneva on the"
           " status of Crimea."),
    "ru": ("Переговоры по Крыму", "Россия и Украина возобновили в Женеве переговоры о статусе"
           " Крыма."),
    "de": ("Neues Heizungsgesetz beschlossen", "Der Bundestag hat das umstrittene"
           " Heizungsgesetz mit den Stimmen der Koalition verabschiedet."),
    "es": ("Sube el salario mínimo", "El Gobierno aprobó una subida del salario mínimo del cinco"
           " por ciento para este año."),
}


@pytest.fixture(scope="module")
def stage() -> EmbedStage:
    return EmbedStage()


def test_embed_stage_assigns_a_unit_vector(stage: EmbedStage) -> None:
    article = stage(Article(title="Crimea talks resume", text="Russia and Ukraine met."))
    assert article.embedding is not None and len(article.embedding) == 384
    assert abs(float(np.linalg.norm(article.embedding)) - 1.0) < 1e-5


def test_semantic_search_finds_the_story_in_every_language(stage: EmbedStage,
                                                           db: Database) -> None:
    articles = [Article(id=lang, title=title, text=text, lang=lang)
                for lang, (title, text) in ARTICLES.items()]
    for article in stage.process_batch(articles):
        db.add_article(article)
    query = stage.encoder.encode(["Krim forhandlinger"], query=True).embeddings[0].tolist()
    hits = db.semantic_search(query, limit=3)
    assert {hit.article_id for hit in hits} == {"nl", "en", "ru"}
    stored = db.get_article("en")
    assert stored is not None and stored.embedding is not None
    assert np.allclose(stored.embedding, articles[1].embedding, atol=1e-6)
