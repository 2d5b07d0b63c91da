"""Framework staff's use cases for a framework: its terms, structure, award criteria and call-off terms."""
