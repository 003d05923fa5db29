"""Qualification: lead answers in, score card and outcome out."""
