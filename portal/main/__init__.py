"""Start page, dashboards and the service's information pages."""
