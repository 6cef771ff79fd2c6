"""Streamlit glue shared by the pages: cached resources, session handling, widgets."""
