"""People and organisations: sign-in and accounts, users, buyer organisations, staff oversight, home pages."""
