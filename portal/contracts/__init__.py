"""Call-off contracts: the contract page of a competition or direct award, generating and signing it, and KPIs."""
