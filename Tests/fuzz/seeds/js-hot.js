#﻿#!/usr/bin/env node
import{a}from"./a.js";import"./b.js";export*from"./c.js"
class A { #return = 1; import(x) { return import('./d.js') } }
if (import.meta.hot) { import.meta.hot.accept(); }
x = é / 2; import ("./é.js")
