"""Renderings of one report: CSV, XLSX and a PDF board pack, each `render_<fmt>(report)`."""
