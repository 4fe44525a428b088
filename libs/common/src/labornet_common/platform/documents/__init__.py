"""Documents (文书) as a platform piece: a pure draft model, an fpdf2 renderer, and storage.

``draft`` is pure Python (a title, a date, paragraphs; Chinese dates, numerals and amounts);
``pdf`` renders a draft to reproducible PDF bytes with a CJK font embedded; ``store`` keeps a
service's documents numbered per issuing organisation and year, versioned, hashed. Every service
that issues documents renders them the same way.
"""
