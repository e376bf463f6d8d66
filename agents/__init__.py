"""Schedulers and RL training for control-aware scheduling (issue 7)."""
