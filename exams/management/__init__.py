"""Management commands of the exams app."""
