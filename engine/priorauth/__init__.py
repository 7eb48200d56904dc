"""Prior authorizations on file: approvals that let a member's claims pay past an edit."""
