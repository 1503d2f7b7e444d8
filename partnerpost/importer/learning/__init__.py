"""The importer's learned layout reader: lines labelled by a small CRF, items assembled around dates.

- features: what the model sees of each line (its text, its layout, its neighbours);
- model: loading the shipped model file and labelling a document's lines;
- assemble: items from labelled lines (date lines before or after titles, dates inherited from day
  and month headings);
- synth: newsletters generated from structured items in many templates, with their line labels;
- corpus: line labels derived from the hand-labelled corpus (the train split only);
- train: building the training set and writing the model file (`partnerpost import-train`).

No Django here.
"""

LABELS = ("title", "date", "place", "body", "heading", "noise")
