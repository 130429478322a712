#pragma once

#include <QByteArray>

struct MatrixReport;

// A matrix report as one self-contained HTML page: the run's facts and counts, the matrix (a row
// per request, a column per kind of scope set, each cell coloured by its verdict with the status
// observed), and below it every cell that did not go as expected with the exchange that shows it.
// Inline CSS only: no script, no remote asset, and a Content-Security-Policy that forbids both,
// so the page shows the same from a CI artifact, a mail or a file share. Every text — names, URLs,
// headers and bodies from the server — is HTML-escaped; the evidence is redacted in the report.
class MatrixHtmlWriter
{
public:
    static QByteArray write(const MatrixReport &report);
};
