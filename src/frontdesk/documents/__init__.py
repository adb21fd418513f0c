"""PDF documents built with reportlab from plain data; nothing here reads the database."""
