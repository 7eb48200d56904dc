"""Plan build verification: test claims with expected outcomes, written beside each plan."""
