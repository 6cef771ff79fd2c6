"""Pure domain code: questionnaire model, scoring, codes. No I/O, no frameworks."""
