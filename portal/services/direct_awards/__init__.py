"""Direct awards: requirement, matching over the lot's snapshot, the frozen shortlist and the decision."""
