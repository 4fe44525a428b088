"""The platform's roster steps, shared by every service that keeps a roster (mediation's
mediators, centres and 派出庭; arbitration's arbitrators): who may change a roster and which
part of the change log they read (``rules``, pure), handing a leaving member's open cases to the
least-loaded colleague (``rules``, pure), and the change itself: its event on
reference.organisations.v1 and its change-log row, in one transaction (``log``). Each service
keeps only its own rules (which cases are open, who may take one) and its own tables."""
