"""Framework staff: suppliers, lot memberships, price cards, accreditations and exclusions."""
