"""Pure domain code: questionnaire, scoring, anonymity, rounds, workshops, packages, codes. No I/O."""
