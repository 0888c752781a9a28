package com.invoicehub.customers;

public enum CustomerType { CORPORATION, PRIVATE, NONPROFIT }
