"""Direct awards: requirement, capability match, objective selection, frozen shortlist, approval."""
