"""The cadre-facing pages of the exams app: attempts, practice, certificates."""
