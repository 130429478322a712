#include "MatrixVerdictStyle.h"

#include <QCoreApplication>

QColor MatrixVerdictStyle::background(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::AsExpected:
        return QColor(0xb9, 0xe4, 0xbd); // green, calm: most cells are this
    case MatrixVerdict::OverPermissive:
        return QColor(0xd3, 0x1f, 0x1f); // saturated red: the finding
    case MatrixVerdict::UnexpectedDenial:
        return QColor(0xff, 0x9f, 0x2e); // orange
    case MatrixVerdict::CannotTest:
        return QColor(0xf6, 0xe0, 0x6e); // yellow: nothing proven either way
    case MatrixVerdict::Error:
        return QColor(0x6a, 0x1b, 0x9a); // purple: no answer to judge
    case MatrixVerdict::Skipped:
        return QColor(0xec, 0xec, 0xec); // light grey: not sent on purpose
    }
    return {};
}

QColor MatrixVerdictStyle::foreground(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::OverPermissive:
    case MatrixVerdict::Error:
        return Qt::white;
    case MatrixVerdict::Skipped:
        return QColor(0x6b, 0x6b, 0x6b);
    case MatrixVerdict::AsExpected:
        return QColor(0x10, 0x4d, 0x1a);
    case MatrixVerdict::UnexpectedDenial:
    case MatrixVerdict::CannotTest:
        return QColor(0x22, 0x22, 0x22);
    }
    return {};
}

QString MatrixVerdictStyle::glyph(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::AsExpected:
        return QStringLiteral("✓");
    case MatrixVerdict::OverPermissive:
        return QStringLiteral("✗");
    case MatrixVerdict::UnexpectedDenial:
        return QStringLiteral("!");
    case MatrixVerdict::CannotTest:
        return QStringLiteral("?");
    case MatrixVerdict::Error:
        return QStringLiteral("⚠");
    case MatrixVerdict::Skipped:
        return QStringLiteral("–");
    }
    return {};
}

QString MatrixVerdictStyle::label(MatrixVerdict verdict)
{
    return MatrixCellResult::verdictLabel(verdict);
}

QString MatrixVerdictStyle::meaning(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::AsExpected:
        return QCoreApplication::translate("MatrixVerdictStyle", "The answer is what the scope set must get: success with the needed scopes, "
                                                                 "the denial without one, 401 without a token.");
    case MatrixVerdict::OverPermissive:
        return QCoreApplication::translate("MatrixVerdictStyle", "The request succeeded without a scope it is documented to need: "
                                                                 "the endpoint does not check it.");
    case MatrixVerdict::UnexpectedDenial:
        return QCoreApplication::translate("MatrixVerdictStyle", "The request was denied although the token had every scope it needs.");
    case MatrixVerdict::CannotTest:
        return QCoreApplication::translate("MatrixVerdictStyle", "A token without the scope could not be minted (the server granted it "
                                                                 "anyway), so the cell proves nothing.");
    case MatrixVerdict::Error:
        return QCoreApplication::translate("MatrixVerdictStyle", "No answer to judge, another status, or no token.");
    case MatrixVerdict::Skipped:
        return QCoreApplication::translate("MatrixVerdictStyle", "Not sent on purpose (a request that changes data in a read-only run).");
    }
    return {};
}

int MatrixVerdictStyle::severity(MatrixVerdict verdict)
{
    switch (verdict) {
    case MatrixVerdict::OverPermissive:
        return 0;
    case MatrixVerdict::Error:
        return 1;
    case MatrixVerdict::UnexpectedDenial:
        return 2;
    case MatrixVerdict::CannotTest:
        return 3;
    case MatrixVerdict::AsExpected:
        return 4;
    case MatrixVerdict::Skipped:
        return 5;
    }
    return 6;
}

QList<MatrixVerdict> MatrixVerdictStyle::all()
{
    return {MatrixVerdict::AsExpected, MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial,
            MatrixVerdict::CannotTest, MatrixVerdict::Error,          MatrixVerdict::Skipped};
}
