"""Large imports (questions, roster, laws) run as a background task with a progress page."""
