package com.invoicehub.ledger;

public enum ExpenseType { TUITION, MATERIALS, TUTORING, FEES }
