"""Cross-lingual stories: articles about one event, in any language, clustered as they arrive.

One concept per module: `features` (what the clusterer knows of an article),
`story` (a live story's state), `model` (the article–story scoring model),
`index` (candidate retrieval over centroids), `clusterer` (the streaming rule),
`threads` (stories of one ongoing matter), `decisions` (user merges and splits),
`training`, `synthesis` and `recipe` (how the shipped model is learned),
`catalog` (stories kept in the store, the after-ingest step), `benchmark`.
"""
