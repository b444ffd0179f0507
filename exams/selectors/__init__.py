"""What the exams app lets other code read: exams, attempts, the bank, statistics."""
