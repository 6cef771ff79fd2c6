"""Every plotly figure builder: results, group pictures and slides, and their table twins."""
