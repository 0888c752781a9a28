-- An approver removed from the customer's approverEmails loses the links mailed to them: the request is revoked (its
-- link answers 410, no mail is sent for it) and stays revoked even if the address is added again later (a re-open
-- sends a fresh link).
alter table approval_tokens add column revoked_at timestamptz;
