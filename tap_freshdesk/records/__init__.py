"""What records look like: timestamps, custom fields typed from the account, undeclared keys."""
