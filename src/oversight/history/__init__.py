"""Complaint history from other systems' exports (imported as closed cases), the public
discipline database, and early intervention."""
