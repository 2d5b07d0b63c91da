"""Call-off contracts: what a call-off is, the KPIs the buyer sets, and signing."""
