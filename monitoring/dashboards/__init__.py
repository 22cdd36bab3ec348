"""The region and national dashboards, their maps and the exports."""
