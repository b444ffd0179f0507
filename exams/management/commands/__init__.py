"""import_questions, export_questions."""
