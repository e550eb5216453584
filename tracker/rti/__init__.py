"""Right to Information requests: the RTI Act 2005 deadline rules and the request lifecycle."""
