package com.invoicehub.partners;

public enum PartnerType { UNIVERSITY, BUSINESS, NONPROFIT }
