"""Oversight: civilian oversight of a police department, after SMC Chapter 3.29."""

__version__ = "0.1.0"
