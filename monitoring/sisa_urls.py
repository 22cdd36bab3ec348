"""SiSa spending reports (verantwoording), the SiSa appendix and the national SiSa batch."""

urlpatterns = []
